/* cmd_lookup.c - bitext lookup (being written; see issues) */
#include "cli.h"
int bt_cmd_lookup(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("'lookup' is not available in this build");
    return BT_EXIT_FAIL;
}
