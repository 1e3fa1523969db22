/* dl_icu.c - ICU's libicuuc opened when first called, not at start. With
 * libstdc++ and its 30 MB of data it cost every run about 2 ms of the
 * loader's time, and the common look-up needs none of it: NFC text of the
 * scripts bitext meets is recognized without ICU (bt_nfc_inert). The
 * functions bitext calls are defined here under the headers' names, which
 * ICU renames with its version (u_isalpha is u_isalpha_72), and forward to
 * the library's; the soname is the version built against. */
#include "base.h"
#include "dl_int.h"
#include "utf8_fast.h"
#include "gc_table.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>
#include <unicode/uvernum.h>

#define ICU_SONAME "libicuuc.so." BT_DL_STR(U_ICU_VERSION_MAJOR_NUM)

/* the functions bitext calls (see dl_int.h); M: forwarded by hand, below */
#define ICU_FUNCS(X, V, M)                                                           \
    M(int8_t, u_charType, (UChar32 c), (c))                                          \
    X(const char *, u_errorName, (UErrorCode code), (code))                          \
    M(uint8_t, u_getCombiningClass, (UChar32 c), (c))                                \
    X(int32_t, u_getIntPropertyValue, (UChar32 c, UProperty which), (c, which))      \
    M(UBool, u_isalnum, (UChar32 c), (c))                                            \
    M(UBool, u_isalpha, (UChar32 c), (c))                                            \
    M(UBool, u_isdigit, (UChar32 c), (c))                                            \
    M(UBool, u_islower, (UChar32 c), (c))                                            \
    M(UBool, u_istitle, (UChar32 c), (c))                                            \
    M(UBool, u_isupper, (UChar32 c), (c))                                            \
    X(UChar32, u_tolower, (UChar32 c), (c))                                          \
    X(UChar *, u_strFromUTF8,                                                        \
      (UChar *dest, int32_t destCapacity, int32_t *pDestLength, const char *src,     \
       int32_t srcLength, UErrorCode *pErrorCode),                                   \
      (dest, destCapacity, pDestLength, src, srcLength, pErrorCode))                 \
    X(UChar *, u_strFromUTF8Lenient,                                                 \
      (UChar *dest, int32_t destCapacity, int32_t *pDestLength, const char *src,     \
       int32_t srcLength, UErrorCode *pErrorCode),                                   \
      (dest, destCapacity, pDestLength, src, srcLength, pErrorCode))                 \
    X(int32_t, u_strToLower,                                                         \
      (UChar *dest, int32_t destCapacity, const UChar *src, int32_t srcLength,       \
       const char *locale, UErrorCode *pErrorCode),                                  \
      (dest, destCapacity, src, srcLength, locale, pErrorCode))                      \
    X(char *, u_strToUTF8,                                                           \
      (char *dest, int32_t destCapacity, int32_t *pDestLength, const UChar *src,     \
       int32_t srcLength, UErrorCode *pErrorCode),                                   \
      (dest, destCapacity, pDestLength, src, srcLength, pErrorCode))                 \
    V(ucnv_close, (UConverter *converter), (converter))                              \
    X(const char *, ucnv_getName, (const UConverter *converter, UErrorCode *err),    \
      (converter, err))                                                              \
    X(UConverter *, ucnv_open, (const char *converterName, UErrorCode *err),         \
      (converterName, err))                                                          \
    M(void, ucnv_setToUCallBack,                                                     \
      (UConverter *converter, UConverterToUCallback newAction,                       \
       const void *newContext, UConverterToUCallback *oldAction,                     \
       const void **oldContext, UErrorCode *err),                                    \
      (converter, newAction, newContext, oldAction, oldContext, err))                \
    X(int32_t, ucnv_toUChars,                                                        \
      (UConverter *cnv, UChar *dest, int32_t destCapacity, const char *src,          \
       int32_t srcLength, UErrorCode *pErrorCode),                                   \
      (cnv, dest, destCapacity, src, srcLength, pErrorCode))                         \
    V(ucnv_toUnicode,                                                                \
      (UConverter *converter, UChar **target, const UChar *targetLimit,              \
       const char **source, const char *sourceLimit, int32_t *offsets, UBool flush,  \
       UErrorCode *err),                                                             \
      (converter, target, targetLimit, source, sourceLimit, offsets, flush, err))    \
    V(UCNV_TO_U_CALLBACK_STOP,                                                       \
      (const void *context, UConverterToUnicodeArgs *toUArgs, const char *codeUnits, \
       int32_t length, UConverterCallbackReason reason, UErrorCode *err),            \
      (context, toUArgs, codeUnits, length, reason, err))                            \
    X(const UNormalizer2 *, unorm2_getNFCInstance, (UErrorCode *pErrorCode),         \
      (pErrorCode))                                                                  \
    X(const UNormalizer2 *, unorm2_getNFDInstance, (UErrorCode *pErrorCode),         \
      (pErrorCode))                                                                  \
    X(int32_t, unorm2_normalize,                                                     \
      (const UNormalizer2 *norm2, const UChar *src, int32_t length, UChar *dest,     \
       int32_t capacity, UErrorCode *pErrorCode),                                    \
      (norm2, src, length, dest, capacity, pErrorCode))                              \
    X(UNormalizationCheckResult, unorm2_quickCheck,                                  \
      (const UNormalizer2 *norm2, const UChar *s, int32_t length,                    \
       UErrorCode *pErrorCode),                                                      \
      (norm2, s, length, pErrorCode))

#define DL_TABLE icu
#define DL_LIB icu_lib
BT_DL_DEFINE(ICU_FUNCS, ICU_SONAME, "ICU, for Unicode text", )

/* UCNV_TO_U_CALLBACK_STOP given to a converter is passed on as ICU's own
 * function, so ICU holds the address it knows, not its forwarder's. */
void ucnv_setToUCallBack(UConverter *converter, UConverterToUCallback newAction,
                         const void *newContext, UConverterToUCallback *oldAction,
                         const void **oldContext, UErrorCode *err)
{
    bt_dl_ready(&icu_lib, "ucnv_setToUCallBack");
    if (newAction == UCNV_TO_U_CALLBACK_STOP) newAction = icu.UCNV_TO_U_CALLBACK_STOP;
    icu.ucnv_setToUCallBack(converter, newAction, newContext, oldAction, oldContext, err);
}

/* ---- character properties without ICU ----------------------------------- */

/* The General_Category of c from gc_table.h, or -1 when it is not there. */
static inline int gc_known(UChar32 c)
{
    if ((uint32_t)c < 0x250) return gc_0000[c];
    if ((uint32_t)(c - 0x1E00) < 0x100) return gc_1E00[c - 0x1E00];
    if ((uint32_t)(c - 0x2000) < 0x70) return gc_2000[c - 0x2000];
    return -1;
}

/* A look-up of NFC Vietnamese or English asks these of its letters and
 * needs ICU for nothing else: answered from the table, they leave ICU
 * unloaded (and cost a fraction of a call into it). */
#define GC_MASK(gc) (1u << (gc))
#define GC_LETTER                                                                    \
    (GC_MASK(U_UPPERCASE_LETTER) | GC_MASK(U_LOWERCASE_LETTER) |                     \
     GC_MASK(U_TITLECASE_LETTER) | GC_MASK(U_MODIFIER_LETTER) | GC_MASK(U_OTHER_LETTER))
#define GC_FWD(name, test)                                                           \
    UBool name(UChar32 c)                                                            \
    {                                                                                \
        int gc = gc_known(c);                                                        \
        if (gc >= 0) return (test) != 0;                                             \
        bt_dl_ready(&icu_lib, #name);                                                \
        return icu.name(c);                                                          \
    }
GC_FWD(u_isupper, gc == U_UPPERCASE_LETTER)
GC_FWD(u_islower, gc == U_LOWERCASE_LETTER)
GC_FWD(u_istitle, gc == U_TITLECASE_LETTER)
GC_FWD(u_isdigit, gc == U_DECIMAL_DIGIT_NUMBER)
GC_FWD(u_isalpha, GC_MASK(gc) & GC_LETTER)
GC_FWD(u_isalnum, GC_MASK(gc) & (GC_LETTER | GC_MASK(U_DECIMAL_DIGIT_NUMBER)))

int8_t u_charType(UChar32 c)
{
    int gc = gc_known(c);
    if (gc >= 0) return (int8_t)gc;
    bt_dl_ready(&icu_lib, "u_charType");
    return icu.u_charType(c);
}

uint8_t u_getCombiningClass(UChar32 c)
{
    if (bt_nfc_inert(c)) return 0;
    bt_dl_ready(&icu_lib, "u_getCombiningClass");
    return icu.u_getCombiningClass(c);
}
