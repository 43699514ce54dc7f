/* Fuzz target: the AWS shared credentials/config (INI) reader and the
 * profile lookups s3.c makes on what it returns. */
#include <stddef.h>
#include <stdint.h>

#include "aws_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pkgauth_aws_ini *ini = NULL;
    pkgauth_error err;
    if (pkgauth_aws_ini_parse((const char *)data, size, "fuzz.ini", &ini, &err) != PKGAUTH_OK)
        return 0;
    static const char *profiles[] = {"default", "dev", "profile dev", ""};
    static const char *keys[] = {"aws_access_key_id", "aws_secret_access_key", "region",
                                 "endpoint_url", "s3"};
    for (size_t p = 0; p < sizeof profiles / sizeof *profiles; p++) {
        for (int kind = PKGAUTH_AWS_CREDENTIALS_FILE; kind <= PKGAUTH_AWS_CONFIG_FILE; kind++) {
            (void)pkgauth_aws_profile_exists(ini, (pkgauth_aws_file_kind)kind, profiles[p]);
            for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
                (void)pkgauth_aws_profile_get(ini, (pkgauth_aws_file_kind)kind, profiles[p],
                                              keys[k]);
        }
        (void)pkgauth_aws_ini_has_section(ini, profiles[p]);
        (void)pkgauth_aws_ini_get(ini, profiles[p], "region");
    }
    pkgauth_aws_ini_free(ini);
    return 0;
}
