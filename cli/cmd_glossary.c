/* cmd_glossary.c - bitext glossary (being written; see issues) */
#include "cli.h"
int bt_cmd_glossary(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("'glossary' is not available in this build");
    return BT_EXIT_FAIL;
}
