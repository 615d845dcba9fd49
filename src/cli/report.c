/* Text escaped for the report formats the commands share (TAP and JUnit XML). */
#include "cli.h"

/* Text on a TAP test line: a line break would forge a line of its own, and "#" starts a
 * directive, so both are escaped, as are the other control characters. */
void
cli_print_tap_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("\\n", out);
        else if (c == '\\' || c == '#')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            putc(c, out);
    }
}

void
cli_print_xml_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\r': fputs("&#13;", out); break;
        case '\t': fputs("&#9;", out); break;
        default:
            /* XML 1.0 has no other control characters, not even as references. */
            if ((unsigned char)*s < 0x20)
                fprintf(out, "\\x%02x", (unsigned char)*s);
            else
                putc(*s, out);
            break;
        }
    }
}

