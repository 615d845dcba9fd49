#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>

#include "validate/cel.h"

const char *
gw_cel_string(const void *model, const char *field)
{
    const struct gw_info *info = gw_info_of(model);
    int i = gw_field_index(info->type, field);

    if (i < 0 || info->type->fields[i].kind != GW_FIELD_STRING)
        return NULL;
    return *(const char *const *)((const char *)model + info->type->fields[i].offset);
}

bool
gw_cel_is_ip(const char *s)
{
    unsigned char buf[16];

    return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

