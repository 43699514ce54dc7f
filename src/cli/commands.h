/* The commands' entry points, for main.c's dispatch table. Each gets the
 * arguments after the command word. A command never calls another one. */
#ifndef PKGAUTH_CLI_COMMANDS_H
#define PKGAUTH_CLI_COMMANDS_H

#include "cli.h"

int cmd_login(cli *c, int argc, char **argv);
int cmd_logout(cli *c, int argc, char **argv);
int cmd_token(cli *c, int argc, char **argv);
int cmd_status(cli *c, int argc, char **argv);
int cmd_which(cli *c, int argc, char **argv);
int cmd_config(cli *c, int argc, char **argv);
int cmd_fetch(cli *c, int argc, char **argv);
int cmd_presign(cli *c, int argc, char **argv);
int cmd_upload(cli *c, int argc, char **argv);

#endif
