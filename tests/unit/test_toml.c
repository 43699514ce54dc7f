/* Unit tests of the TOML reader: the query API, error messages with their
 * positions, the nesting bound, and documents shaped like pixi's config. The
 * full grammar is covered by tests/cli/test_toml_conformance.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toml.h"

/* Parses text (which must be valid) as "test.toml". */
static pkgauth_toml_value *parse_ok(const char *text)
{
    pkgauth_toml_value *root = NULL;
    pkgauth_error err = {0};
    int rc = pkgauth_toml_parse(text, strlen(text), "test.toml", &root, &err);
    if (rc != PKGAUTH_OK)
        fail_msg("unexpected error: %s", err.message);
    assert_non_null(root);
    return root;
}

/* Parses text (which must be invalid) and checks the whole message. */
static void expect_error(const char *text, size_t len, const char *message)
{
    pkgauth_toml_value *root = (pkgauth_toml_value *)1;
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_toml_parse(text, len, "test.toml", &root, &err),
                     PKGAUTH_EPARSE);
    assert_null(root);
    assert_int_equal(err.code, PKGAUTH_EPARSE);
    assert_string_equal(err.message, message);
}

#define EXPECT_ERROR(text, message) \
    expect_error((text), sizeof(text) - 1, (message))

static const char PIXI_CONFIG[] =
    "# pixi global configuration\n"
    "default-channels = [\"conda-forge\", \"bioconda\"]  # used by init\n"
    "change-ps1 = true\n"
    "tls-no-verify = false\r\n" /* a CRLF line among LF lines */
    "authentication-override-file = \"/home/me/.pixi/credentials.json\"\n"
    "\n"
    "[mirrors]\n"
    "# send conda-forge to the prefix.dev mirror first\n"
    "\"https://conda.anaconda.org/conda-forge\" = [\n"
    "    \"https://prefix.dev/conda-forge\",\n"
    "    # a comment between elements\n"
    "    'https://conda.anaconda.org/conda-forge',  # trailing comma next\n"
    "]\n"
    "\n"
    "[repodata-config]\n"
    "disable-jlap = true\n"
    "\n"
    "[repodata-config.\"https://prefix.dev\"]\n"
    "disable-sharded = false\n"
    "\n"
    "[pypi-config]\n"
    "index-url = \"https://pypi.org/simple\"\n"
    "extra-index-urls = [\"https://pypi.example.com/simple\"]\n"
    "keyring-provider = \"subprocess\"\n"
    "\n"
    "[s3-options.\"my-bucket\"]\n"
    "endpoint-url = \"https://my-s3-host\"\n"
    "region = \"us-east-1\"\n"
    "force-path-style = false\n"
    "\n"
    "[s3-options]\n" /* the implicitly created parent, defined afterwards */
    "other = { endpoint-url = \"https://s3.example.com\", region = "
    "\"eu-west-1\", \"force-path-style\" = true }\n"
    "\n"
    "[concurrency]\n"
    "solves = 2\n"
    "downloads = 50\n";

static void test_pixi_config(void **state)
{
    (void)state;
    pkgauth_toml_value *root = parse_ok(PIXI_CONFIG);
    const char *s = NULL;
    bool b = true;
    int64_t i = 0;

    const pkgauth_toml_value *channels =
        pkgauth_toml_table_get_array(root, "default-channels");
    assert_int_equal(pkgauth_toml_array_size(channels), 2);
    assert_string_equal(
        pkgauth_toml_as_string(pkgauth_toml_array_get(channels, 1)),
        "bioconda");
    assert_int_equal(pkgauth_toml_table_get_bool(root, "change-ps1", &b), 0);
    assert_true(b);
    assert_int_equal(pkgauth_toml_table_get_bool(root, "tls-no-verify", &b),
                     0);
    assert_false(b);
    assert_int_equal(pkgauth_toml_table_get_string(
                         root, "authentication-override-file", &s),
                     0);
    assert_string_equal(s, "/home/me/.pixi/credentials.json");

    const pkgauth_toml_value *mirrors =
        pkgauth_toml_table_get_table(root, "mirrors");
    const pkgauth_toml_value *cf = pkgauth_toml_table_get_array(
        mirrors, "https://conda.anaconda.org/conda-forge");
    assert_int_equal(pkgauth_toml_array_size(cf), 2);
    assert_string_equal(pkgauth_toml_as_string(pkgauth_toml_array_get(cf, 0)),
                        "https://prefix.dev/conda-forge");
    assert_string_equal(pkgauth_toml_as_string(pkgauth_toml_array_get(cf, 1)),
                        "https://conda.anaconda.org/conda-forge");

    const pkgauth_toml_value *repodata =
        pkgauth_toml_table_get_table(root, "repodata-config");
    assert_int_equal(
        pkgauth_toml_table_get_bool(
            pkgauth_toml_table_get_table(repodata, "https://prefix.dev"),
            "disable-sharded", &b),
        0);
    assert_false(b);

    const pkgauth_toml_value *s3 =
        pkgauth_toml_table_get_table(root, "s3-options");
    assert_int_equal(pkgauth_toml_table_size(s3), 2);
    const pkgauth_toml_value *bucket =
        pkgauth_toml_table_get_table(s3, "my-bucket");
    assert_int_equal(pkgauth_toml_table_get_string(bucket, "region", &s), 0);
    assert_string_equal(s, "us-east-1");
    const pkgauth_toml_value *other = pkgauth_toml_table_get_table(s3, "other");
    assert_int_equal(pkgauth_toml_table_get_string(other, "endpoint-url", &s),
                     0);
    assert_string_equal(s, "https://s3.example.com");
    assert_int_equal(
        pkgauth_toml_table_get_bool(other, "force-path-style", &b), 0);
    assert_true(b);

    const pkgauth_toml_value *conc =
        pkgauth_toml_table_get_table(root, "concurrency");
    assert_int_equal(pkgauth_toml_table_get_int(conc, "downloads", &i), 0);
    assert_int_equal(i, 50);
    pkgauth_toml_free(root);
}

static void test_key_order(void **state)
{
    (void)state;
    pkgauth_toml_value *root =
        parse_ok("zeta = 1\nalpha = 2\n[mid]\nx.y = 3\n[\"\"]\n");
    const char *expected[] = {"zeta", "alpha", "mid", ""};
    assert_int_equal(pkgauth_toml_table_size(root), 4);
    for (size_t i = 0; i < 4; i++) {
        size_t len = 99;
        assert_string_equal(pkgauth_toml_table_key(root, i, &len),
                            expected[i]);
        assert_int_equal(len, strlen(expected[i]));
    }
    assert_null(pkgauth_toml_table_key(root, 4, NULL));
    assert_null(pkgauth_toml_table_value(root, 4));
    const pkgauth_toml_value *mid = pkgauth_toml_table_value(root, 2);
    assert_int_equal(pkgauth_toml_type_of(mid), PKGAUTH_TOML_TABLE);
    assert_int_equal(pkgauth_toml_type_of(pkgauth_toml_table_get(mid, "x")),
                     PKGAUTH_TOML_TABLE);
    pkgauth_toml_free(root);
}

static void test_typed_lookups(void **state)
{
    (void)state;
    pkgauth_toml_value *root = parse_ok(
        "s = 'text'\nn = \"a\\u0000b\"\ni = 0o17\nj = 0x7FFF_FFFF_FFFF_FFFF\n"
        "k = -9223372036854775808\nf = 6.5e-1\nb = false\n");
    const char *s = "unchanged";
    bool b = true;
    int64_t i = 0;
    double f = 0;
    assert_int_equal(pkgauth_toml_table_get_string(root, "missing", &s),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_toml_table_get_string(root, "b", &s),
                     PKGAUTH_EINVAL);
    /* A string with a NUL is refused as a C string but readable as bytes. */
    assert_int_equal(pkgauth_toml_table_get_string(root, "n", &s),
                     PKGAUTH_EINVAL);
    assert_string_equal(s, "unchanged");
    const pkgauth_toml_value *n = pkgauth_toml_table_get(root, "n");
    assert_int_equal(pkgauth_toml_string_length(n), 3);
    assert_memory_equal(pkgauth_toml_as_string(n), "a\0b", 4);
    assert_int_equal(pkgauth_toml_table_get_int(root, "s", &i),
                     PKGAUTH_EINVAL);
    assert_int_equal(pkgauth_toml_table_get_int(root, "j", &i), 0);
    assert_true(i == INT64_MAX);
    assert_int_equal(pkgauth_toml_table_get_int(root, "k", &i), 0);
    assert_true(i == INT64_MIN);
    assert_int_equal(pkgauth_toml_as_float(pkgauth_toml_table_get(root, "f"),
                                           &f),
                     0);
    assert_true(f == 0.65);
    assert_int_equal(pkgauth_toml_table_get_bool(root, "b", &b), 0);
    assert_false(b);
    assert_null(pkgauth_toml_table_get_table(root, "s"));
    assert_null(pkgauth_toml_as_datetime(pkgauth_toml_table_get(root, "s")));
    assert_int_equal(pkgauth_toml_table_get_int(root, "i", &i), 0);
    assert_int_equal(i, 15);
    pkgauth_toml_free(root);
}

static void test_null_safety(void **state)
{
    (void)state;
    const char *s;
    bool b;
    int64_t i;
    assert_null(pkgauth_toml_table_get(NULL, "a"));
    assert_null(pkgauth_toml_table_get_table(
        pkgauth_toml_table_get_table(NULL, "a"), "b"));
    assert_int_equal(pkgauth_toml_table_size(NULL), 0);
    assert_int_equal(pkgauth_toml_array_size(NULL), 0);
    assert_null(pkgauth_toml_array_get(NULL, 0));
    assert_null(pkgauth_toml_as_string(NULL));
    assert_int_equal(pkgauth_toml_table_get_string(NULL, "a", &s),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_toml_table_get_bool(NULL, "a", &b),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_toml_table_get_int(NULL, "a", &i),
                     PKGAUTH_ENOTFOUND);
    assert_int_equal(pkgauth_toml_as_bool(NULL, &b), PKGAUTH_EINVAL);
    pkgauth_toml_free(NULL);
    /* An empty document is an empty table. */
    pkgauth_toml_value *root = NULL;
    assert_int_equal(pkgauth_toml_parse(NULL, 0, "e", &root, NULL), 0);
    assert_int_equal(pkgauth_toml_table_size(root), 0);
    pkgauth_toml_free(root);
    assert_int_equal(pkgauth_toml_parse("", 0, "e", NULL, NULL),
                     PKGAUTH_EINVAL);
}

static void test_strings_and_datetimes(void **state)
{
    (void)state;
    pkgauth_toml_value *root = parse_ok(
        "ml = \"\"\"\n  one \\\n    two\"\"\"\"\n"
        "lit = '''C:\\path\\'''\n"
        "esc = \"tab\\tq\\\"\\U0001F600\"\n"
        "odt = 1979-05-27 07:32:00.25z\n"
        "ldt = 1979-05-27t07:32:00\n"
        "ld = 2024-02-29\n"
        "lt = 23:59:60\n");
    const pkgauth_toml_value *v;
    assert_string_equal(
        pkgauth_toml_as_string(pkgauth_toml_table_get(root, "ml")),
        "  one two\"");
    assert_string_equal(
        pkgauth_toml_as_string(pkgauth_toml_table_get(root, "lit")),
        "C:\\path\\");
    assert_string_equal(
        pkgauth_toml_as_string(pkgauth_toml_table_get(root, "esc")),
        "tab\tq\"\xF0\x9F\x98\x80");
    v = pkgauth_toml_table_get(root, "odt");
    assert_int_equal(pkgauth_toml_type_of(v), PKGAUTH_TOML_DATETIME);
    assert_string_equal(pkgauth_toml_as_datetime(v),
                        "1979-05-27T07:32:00.25Z");
    v = pkgauth_toml_table_get(root, "ldt");
    assert_int_equal(pkgauth_toml_type_of(v), PKGAUTH_TOML_DATETIME_LOCAL);
    assert_string_equal(pkgauth_toml_as_datetime(v), "1979-05-27T07:32:00");
    v = pkgauth_toml_table_get(root, "ld");
    assert_int_equal(pkgauth_toml_type_of(v), PKGAUTH_TOML_DATE_LOCAL);
    assert_string_equal(pkgauth_toml_type_name(pkgauth_toml_type_of(v)),
                        "date-local");
    v = pkgauth_toml_table_get(root, "lt");
    assert_int_equal(pkgauth_toml_type_of(v), PKGAUTH_TOML_TIME_LOCAL);
    assert_string_equal(pkgauth_toml_as_datetime(v), "23:59:60");
    pkgauth_toml_free(root);
}

static void test_error_positions(void **state)
{
    (void)state;
    EXPECT_ERROR("a = 1\nb = \n", "test.toml:2:5: expected a value");
    EXPECT_ERROR("[a]\nx = 1\n[a]\n",
                 "test.toml:3:2: table 'a' is already defined");
    /* Columns count characters, not bytes: "é" is one column. */
    EXPECT_ERROR("name = \"\xC3\xA9\" x\n",
                 "test.toml:1:12: expected a line break after the value");
    EXPECT_ERROR("s = \"a\\qb\"\n", "test.toml:1:7: invalid escape sequence");
    EXPECT_ERROR("a = 1\r\nb = 0x\r\n", "test.toml:2:5: invalid number");
    EXPECT_ERROR("a = 1\rb = 2\n", "test.toml:1:6: carriage return not "
                                  "followed by a line feed");
    EXPECT_ERROR("a = \"\xFF\"\n", "test.toml:1:6: invalid UTF-8");
    EXPECT_ERROR("a = \"abc\n", "test.toml:1:9: line break in a single-line "
                                "string");
    EXPECT_ERROR("a = '''abc\n", "test.toml:1:5: unterminated string");
    EXPECT_ERROR("i = 9223372036854775808\n",
                 "test.toml:1:5: integer out of range (64 bits)");
    EXPECT_ERROR("[t]\nk = 1\n\n  k = 2\n", "test.toml:4:3: duplicate key 'k'");
    EXPECT_ERROR("x = { a = 1 }\n[x.b]\n",
                 "test.toml:2:2: 'x' is not a table that can be extended");
    EXPECT_ERROR("a = [1]\n[[a]]\n",
                 "test.toml:2:3: 'a' is not an array of tables");
    EXPECT_ERROR("d = 2023-02-29\n", "test.toml:1:5: date does not exist");
    EXPECT_ERROR("v = yes\n",
                 "test.toml:1:5: invalid value (strings must be quoted)");
    EXPECT_ERROR("# bell \x07\n", "test.toml:1:8: control character in "
                                  "comment");
    /* A NUL in the input is an error, not the end of the document. */
    EXPECT_ERROR("a = 1\n\0b = 2\n", "test.toml:2:1: expected a key");
    /* Key names in messages are shown printable and short. */
    EXPECT_ERROR("\"k\\n\" = 1\n\"k\\n\" = 2\n",
                 "test.toml:2:1: duplicate key 'k?'");
}

/* Builds "a = " followed by n '[' and n ']' (or '{b=' ... '}'). */
static char *nested(size_t n, bool tables)
{
    char *s = malloc(8 + n * 4);
    size_t len = 0;
    assert_non_null(s);
    /* memcpy, not sprintf: gcc cannot see that assert_non_null returns
     * only for a valid s, and warns under sanitizer builds. */
    memcpy(s, "a = ", 4);
    len = 4;
    for (size_t i = 0; i < n; i++) {
        const char *open = tables ? "{b=" : "[";
        memcpy(s + len, open, strlen(open));
        len += strlen(open);
    }
    if (tables)
        s[len++] = '1';
    for (size_t i = 0; i < n; i++)
        s[len++] = tables ? '}' : ']';
    s[len] = '\0';
    return s;
}

static void test_depth_bound(void **state)
{
    (void)state;
    for (int tables = 0; tables < 2; tables++) {
        char *ok = nested(PKGAUTH_TOML_MAX_DEPTH, tables);
        pkgauth_toml_free(parse_ok(ok));
        free(ok);
        char *deep = nested(PKGAUTH_TOML_MAX_DEPTH + 1, tables);
        char message[128];
        snprintf(message, sizeof message,
                 "test.toml:1:%d: nesting deeper than 128 levels",
                 5 + PKGAUTH_TOML_MAX_DEPTH * (tables ? 3 : 1));
        expect_error(deep, strlen(deep), message);
        free(deep);
    }
    /* Far deeper input is rejected at the bound, not by the stack. */
    char *huge = nested(1000000, false);
    pkgauth_toml_value *root = NULL;
    assert_int_equal(
        pkgauth_toml_parse(huge, strlen(huge), "test.toml", &root, NULL),
        PKGAUTH_EPARSE);
    free(huge);

    /* Table paths count too: [a.a.a...] and a.a.a... = 1. */
    char header[1024] = "[a";
    for (int i = 1; i < PKGAUTH_TOML_MAX_DEPTH; i++)
        strcat(header, ".a");
    strcat(header, "]\nx = 1\n");
    pkgauth_toml_free(parse_ok(header));
    char dotted[1024] = "a";
    for (int i = 1; i <= PKGAUTH_TOML_MAX_DEPTH; i++)
        strcat(dotted, ".a");
    strcat(dotted, " = 1\n");
    expect_error(dotted, strlen(dotted),
                 "test.toml:1:257: key has more than 128 parts");
}

static void test_size_bound(void **state)
{
    (void)state;
    size_t len = PKGAUTH_TOML_MAX_SIZE + 1;
    char *big = calloc(len, 1);
    assert_non_null(big);
    expect_error(big, len, "test.toml:1:1: document larger than 64 MiB");
    free(big);
}

/* Many keys in one table take the hashed lookup path. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 5000 };
    char *doc = malloc(N * 24);
    size_t len = 0;
    assert_non_null(doc);
    for (int i = 0; i < N; i++)
        len += (size_t)sprintf(doc + len, "key%d = %d\n", i, i);
    pkgauth_toml_value *root = parse_ok(doc);
    assert_int_equal(pkgauth_toml_table_size(root), N);
    for (int i = 0; i < N; i += 7) {
        char key[16];
        int64_t v = -1;
        snprintf(key, sizeof key, "key%d", i);
        assert_int_equal(pkgauth_toml_table_get_int(root, key, &v), 0);
        assert_int_equal(v, i);
    }
    assert_null(pkgauth_toml_table_get(root, "key5000"));
    pkgauth_toml_free(root);
    /* A duplicate far down is still found. */
    len += (size_t)sprintf(doc + len, "key4321 = 0\n");
    pkgauth_error err = {0};
    assert_int_equal(pkgauth_toml_parse(doc, len, "t", &root, &err),
                     PKGAUTH_EPARSE);
    assert_string_equal(err.message, "t:5001:1: duplicate key 'key4321'");
    free(doc);
}

static void test_array_of_tables(void **state)
{
    (void)state;
    pkgauth_toml_value *root = parse_ok(
        "[[server]]\nhost = \"a.example.com\"\n[server.auth]\nkind = 'token'\n"
        "[[server]]\nhost = \"b.example.com\"\n");
    const pkgauth_toml_value *servers =
        pkgauth_toml_table_get_array(root, "server");
    const char *s;
    assert_int_equal(pkgauth_toml_array_size(servers), 2);
    assert_int_equal(pkgauth_toml_table_get_string(
                         pkgauth_toml_table_get_table(
                             pkgauth_toml_array_get(servers, 0), "auth"),
                         "kind", &s),
                     0);
    assert_string_equal(s, "token");
    assert_int_equal(pkgauth_toml_table_get_string(
                         pkgauth_toml_array_get(servers, 1), "host", &s),
                     0);
    assert_string_equal(s, "b.example.com");
    assert_null(pkgauth_toml_table_get(pkgauth_toml_array_get(servers, 1),
                                       "auth"));
    pkgauth_toml_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixi_config),
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_typed_lookups),
        cmocka_unit_test(test_null_safety),
        cmocka_unit_test(test_strings_and_datetimes),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_size_bound),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_array_of_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
