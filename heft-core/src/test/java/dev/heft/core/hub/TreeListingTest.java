package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.RemoteModelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeListing}, the one-pass read of a tree listing page, against the strict JSON parser
 * ({@link HubClient#parseTreeStrict}): on every page it reads, the same entries; every other page goes to the strict
 * parser, so its errors and defaults are the only ones.
 */
class TreeListingTest {
    private static final String WHAT = "hf://owner/name";

    private static List<RepoEntry> strict(String page) {
        List<RepoEntry> out = new ArrayList<>();
        HubClient.parseTreeStrict(page.getBytes(StandardCharsets.UTF_8), WHAT, out);
        return out;
    }

    private static List<RepoEntry> plain(String page) {
        return TreeListing.entries(page.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPageAsTheHubWritesItIsReadInOnePassWithTheStrictParsersEntries() {
        // The Hub's tree API (2026): LFS files with an lfs object and a xetHash, small files with their git oid only,
        // directories (left out); lastCommit when the listing is expanded.
        String page = "[{\"type\":\"directory\",\"oid\":\"4b825dc642cb6eb9a060e54bf8d69288fbee4904\",\"size\":0,"
                + "\"path\":\"original\"},"
                + "{\"type\":\"file\",\"oid\":\"c5fd3201494e82cf94e6a681cdc535b306134e1a\",\"size\":775,"
                + "\"path\":\"config.json\"},"
                + "{\"type\":\"file\",\"oid\":\"fc9dc91135fd86d431533cd502ebb86e61de3627\",\"size\":135,"
                + "\"lfs\":{\"oid\":\"260564717d18020668435370aa36e8eb0be4833637cca939617dbc6d94ca4b30\","
                + "\"size\":4806705760,\"pointerSize\":135},\"xetHash\":\"9a8b\","
                + "\"lastCommit\":{\"id\":\"0123\",\"title\":\"Upload\",\"date\":\"2024-07-23T15:00:00.000Z\"},"
                + "\"path\":\"model-00001-of-00169.safetensors\"}]";
        List<RepoEntry> entries = plain(page);
        assertThat(entries)
                .containsExactly(
                        new RepoEntry("config.json", 775, Optional.of("git:c5fd3201494e82cf94e6a681cdc535b306134e1a")),
                        new RepoEntry(
                                "model-00001-of-00169.safetensors",
                                4806705760L,
                                Optional.of("sha256:260564717d18020668435370aa36e8eb0be4833637cca939617dbc6d94ca4b30")))
                .isEqualTo(strict(page));
        assertThat(plain("[]")).isEmpty();
        assertThat(plain(" [ { } , {\"type\" : \"file\" , \"size\" : 0 , \"path\" : \"a\" } ]\n"))
                .containsExactly(new RepoEntry("a", 0, Optional.empty()));
    }

    @Test
    void whatTheOnePassReadDoesNotKnowGoesToTheStrictParser() {
        String[] pages = {
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\\u00e9\"}]", // an escape (valid JSON)
            "[{\"type\":\"file\",\"size\":1,\"path\":\"\u00e9\"}]", // a non-ASCII name (valid JSON)
            "[{\"type\":\"file\",\"size\":1.0,\"path\":\"a\"}]", // a fraction
            "[{\"type\":\"file\",\"size\":null,\"path\":\"a\"}]",
            "[{\"type\":null,\"size\":1,\"path\":\"a\"}]",
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\",\"tags\":[]}]", // an array
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\",\"x\":{\"y\":{}}}]", // nested too deep
            "[1,{\"type\":\"file\",\"size\":1,\"path\":\"a\"}]", // not an object (the strict read skips it)
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\",\"path\":\"b\"}]", // a duplicate key
            "[{\"type\":\"file\",\"size\":01,\"path\":\"a\"}]", // a leading zero
            "[{\"type\":\"file\",\"size\":-1,\"path\":\"a\"}]",
            "[{\"type\":\"file\",\"size\":1}]", // no path
            "[{\"type\":\"file\",\"path\":\"a\"}]", // no size
            "[{\"type\":\"file\",\"size\":\"1\",\"path\":\"a\"}]", // a size that is a string
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\"}] x", // text after the array
            "[{\"type\":\"file\",\"size\":1,\"path\":\"a\"}", // cut short
            "{\"type\":\"file\",\"size\":1,\"path\":\"a\"}", // not an array
            "[{\"type\":\"file\",\"size\":1234567890123456789,\"path\":\"a\"}]", // 19 digits
        };
        for (String page : pages) {
            assertThat(plain(page)).as(page).isNull();
        }
        // The strict parser's answers stand: entries where it reads the page, its refusal where it does not.
        List<RepoEntry> viaParseTree = new ArrayList<>();
        HubClient.parseTree(pages[0].getBytes(StandardCharsets.UTF_8), WHAT, viaParseTree);
        assertThat(viaParseTree).containsExactly(new RepoEntry("a\u00e9", 1, Optional.empty()));
        assertThatThrownBy(
                        () -> HubClient.parseTree(pages[8].getBytes(StandardCharsets.UTF_8), WHAT, new ArrayList<>()))
                .isInstanceOfSatisfying(
                        RemoteModelException.class,
                        e -> assertThat(e.reason()).isEqualTo(RemoteModelException.Reason.BAD_ANSWER))
                .hasMessageContaining("duplicate key");
    }

    /**
     * Generated pages of the Hub's shape (keys in any order, optional lfs, unknown members, whitespace), some with one
     * thing the one-pass read does not take: those it leaves to the strict parser, the others it reads to the same
     * entries.
     */
    @Test
    void generatedPagesGiveTheStrictParsersEntries() {
        Random random = new Random(13);
        int read = 0;
        for (int page = 0; page < 3_000; page++) {
            boolean odd = random.nextInt(4) == 0;
            String text = page(random, odd);
            List<RepoEntry> plain = plain(text);
            if (plain == null) {
                assertThat(odd).as(text).isTrue();
                continue;
            }
            read++;
            assertThat(plain).as(text).isEqualTo(strict(text));
        }
        assertThat(read).isGreaterThan(2_000);
    }

    private static String page(Random r, boolean odd) {
        int entries = r.nextInt(6);
        int oddAt = odd ? r.nextInt(entries + 1) : -1;
        StringBuilder sb = new StringBuilder(ws(r)).append('[');
        for (int i = 0; i < entries; i++) {
            sb.append(i > 0 ? ws(r) + "," + ws(r) : ws(r)).append(entry(r, i, i == oddAt));
        }
        if (oddAt == entries) {
            sb.append(ws(r)).append(r.nextBoolean() ? "] x" : ",");
        }
        return sb.append(ws(r)).append(']').append(ws(r)).toString();
    }

    private static String entry(Random r, int i, boolean odd) {
        List<String> members = new ArrayList<>();
        boolean dir = r.nextInt(5) == 0;
        members.add(member(r, "type", "\"" + (dir ? "directory" : "file") + "\""));
        members.add(member(r, "oid", "\"" + (r.nextInt(8) == 0 ? "" : Long.toHexString(r.nextLong())) + "\""));
        members.add(member(r, "size", Long.toString(dir ? 0 : r.nextInt(1000))));
        members.add(member(r, "path", "\"dir/model-" + i + ".safetensors\""));
        if (!dir && r.nextBoolean()) {
            List<String> lfs = new ArrayList<>();
            if (r.nextInt(6) > 0) {
                lfs.add(member(r, "oid", "\"" + Long.toHexString(r.nextLong()) + "\""));
            }
            if (r.nextInt(6) > 0) {
                lfs.add(member(r, "size", Long.toString(r.nextLong() & ((1L << 50) - 1))));
            }
            lfs.add(member(r, "pointerSize", "134"));
            java.util.Collections.shuffle(lfs, r);
            members.add(member(r, "lfs", "{" + String.join(",", lfs) + "}"));
        }
        if (r.nextBoolean()) {
            members.add(member(r, "xetHash", "\"" + Long.toHexString(r.nextLong()) + "\""));
        }
        if (r.nextInt(4) == 0) {
            members.add(member(r, "lastCommit", "{\"id\":\"ab\",\"n\":7}"));
        }
        java.util.Collections.shuffle(members, r);
        if (odd) {
            String[] oddities = {
                "\"path\":\"x\"", // a duplicate key
                "\"size\":1.5",
                "\"w\":null",
                "\"w\":true",
                "\"w\":[1]",
                "\"w\":\"tab\\there\"",
                "\"w\":\"\u00e9\"",
                "\"w\":-3",
                "\"w\":007",
                "\"w\":{\"a\":{}}",
            };
            members.add(r.nextInt(members.size() + 1), oddities[r.nextInt(oddities.length)]);
        }
        return "{" + String.join("," + ws(r), members) + "}";
    }

    private static String member(Random r, String key, String value) {
        return "\"" + key + "\"" + ws(r) + ":" + ws(r) + value;
    }

    private static String ws(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }
}
