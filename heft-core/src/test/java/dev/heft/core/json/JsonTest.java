package dev.heft.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.json.JsonValue.JsonObject;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesNestedValuesAndKeepsKeyOrder() {
        JsonObject o = Json.parse("{\"b\": 1, \"a\": [true, null, \"x\\u0041\"], \"c\": {\"d\": 2.5e3}}")
                .asObject("t");
        assertThat(o.members().keySet()).containsExactly("b", "a", "c");
        assertThat(o.getLong("b", 0)).isEqualTo(1);
        assertThat(o.getArray("a").orElseThrow().size()).isEqualTo(3);
        assertThat(((JsonValue.JsonString) o.getArray("a").orElseThrow().get(2)).value())
                .isEqualTo("xA");
        assertThat(o.getObject("c").orElseThrow().getDouble("d", 0)).isEqualTo(2500.0);
    }

    @Test
    void keepsIntegersBeyondLongExactAndRejectsThemAsLong() {
        JsonObject o = Json.parse("{\"n\": 18446744073709551616}").asObject("t");
        assertThatThrownBy(() -> o.getLong("n", 0))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("64 bits");
    }

    @Test
    void anErrorQuotesWhatItMetEscapedOnOneLine() {
        // A NUL where a value should start (a hostile server's listing), an escape in a duplicated key.
        assertThatThrownBy(() -> Json.parse("\0")).hasMessage("expected a JSON value, found '\\x00' at character 0");
        assertThatThrownBy(() -> Json.parse("{\"\\u001b]0;x\\n\":1,\"\\u001b]0;x\\n\":2}"))
                .hasMessageStartingWith("duplicate key '\\x1b]0;x\\n'");
    }

    @Test
    void rejectsDuplicateKeysDeepNestingAndTrailingText() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key 'a'");
        assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 1))).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> Json.parse("{\"a\":")).hasMessageContaining("end of JSON");
    }

    @Test
    void rejectsInvalidUtf8() {
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}))
                .hasMessageContaining("UTF-8");
    }

    @Test
    void writerRoundTripsThroughTheParser() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("s", "q\"uote\n");
        m.put("n", 7L);
        m.put("d", 1.5);
        m.put("l", java.util.List.of(1, 2));
        m.put("shape", new long[] {3, 4});
        JsonObject back = Json.parse(JsonWriter.write(m)).asObject("t");
        assertThat(back.getString("s", null)).isEqualTo("q\"uote\n");
        assertThat(back.getLong("n", 0)).isEqualTo(7);
        assertThat(back.getDouble("d", 0)).isEqualTo(1.5);
        assertThat(back.getArray("shape").orElseThrow().size()).isEqualTo(2);
    }
}
