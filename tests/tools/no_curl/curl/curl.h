/* Stands in for libcurl's header in the test examples.find_without_curl:
 * a program that only uses pkgauth.h must compile with no curl headers
 * installed (issue 12 item 5), so including this is an error. */
#error "pkgauth.h must not need <curl/curl.h>; include <pkgauth/curl.h> for the libcurl functions"
