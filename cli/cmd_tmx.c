/* cmd_tmx.c - bitext tmx (being written; see issues) */
#include "cli.h"
int bt_cmd_tmx(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("'tmx' is not available in this build");
    return BT_EXIT_FAIL;
}
