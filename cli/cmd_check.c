/* cmd_check.c - bitext check (being written; see issues) */
#include "cli.h"
int bt_cmd_check(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("'check' is not available in this build");
    return BT_EXIT_FAIL;
}
