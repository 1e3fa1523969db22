/* cmd_align.c - bitext align (being written; see issues) */
#include "cli.h"
int bt_cmd_align(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("'align' is not available in this build");
    return BT_EXIT_FAIL;
}
