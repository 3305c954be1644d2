package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.render.Printable;
import dev.heft.core.api.render.Renderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared renderers: aligned text, Markdown tables, CSV with exact numbers, and nothing a terminal would run. */
class RendererTest {
    private static Document sample(String name) {
        return Document.builder()
                .fields(8, Document.field("Model", "tiny"), Document.field("", "continued"))
                .table(Document.table("Largest", "name", "bytes")
                        .row(name, Cell.bytes(2_471_628_800L))
                        .row("b", Cell.bytes(1024)))
                .bullets("Notes", List.of("one note"))
                .build();
    }

    @Test
    void textAlignsFieldsAndNumbersAndSeparatesBlocks() {
        assertThat(Renderer.text(sample("a"))).isEqualTo("""
                Model   tiny
                        continued

                Largest
                name     bytes
                ----  --------
                a     2.30 GiB
                b     1.00 KiB

                Notes
                - one note
                """);
    }

    @Test
    void markdownIsAPipeTableWithNumbersRightAligned() {
        String md = Renderer.markdown(sample("a|b"));
        assertThat(md).contains("| name | bytes |\n| --- | ---: |\n| a\\|b | 2.30 GiB |");
        assertThat(md).contains("- **Model** tiny");
    }

    @Test
    void csvHasExactNumbersAndNeverAFormula() {
        String csv = Renderer.csv(sample("=HYPERLINK(\"x\")"));
        assertThat(csv).contains("name,bytes\r\n\"'=HYPERLINK(\"\"x\"\")\",2471628800\r\n");
        assertThat(csv).contains("field,value\r\nModel,tiny\r\nModel,continued\r\n");
        assertThat(csv).doesNotContain("one note");
    }

    @Test
    void controlCharactersFromFilesAreShownNotObeyed() {
        String evil = "w\u001b]0;pwned\u0007\nheft: fake\u202e";
        assertThat(Printable.of(evil)).isEqualTo("w\\x1b]0;pwned\\x07\\nheft: fake\\u202e");
        assertThat(Renderer.text(sample(evil)))
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\u202e")
                .contains("w\\x1b]0;pwned");
        assertThat(Printable.of("model.layers.0.mlp")).isSameAs("model.layers.0.mlp");
    }
}
