/* dl_xml.c - libxml2 opened when first called, not at start: with ICU and
 * liblzma, which it pulls in, it cost every run about 3 ms of the loader's
 * time, and only reading TMX, TBX and XLIFF needs it. The functions bitext
 * calls are defined here with the headers' prototypes and forward to the
 * library's (see dl_int.h). */
#include "base.h"
#include "dl_int.h"

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlversion.h>

/* libxml2 2.14 changed its soname to .16 */
#if LIBXML_VERSION >= 21400
#define XML_SONAME "libxml2.so.16"
#else
#define XML_SONAME "libxml2.so.2"
#endif

#ifdef LIBXML_THREAD_ALLOC_ENABLED
#error "xmlFree is a function of the thread here: forward __xmlFree instead"
#endif

#define XML_FUNCS(X, V, N)                                                           \
    V(xmlFreeTextReader, (xmlTextReaderPtr reader), (reader))                        \
    X(long, xmlGetLineNo, (const xmlNode *node), (node))                             \
    V(xmlInitParser, (void), ())                                                     \
    X(xmlTextReaderPtr, xmlReaderForIO,                                              \
      (xmlInputReadCallback ioread, xmlInputCloseCallback ioclose, void *ioctx,      \
       const char *URL, const char *encoding, int options),                          \
      (ioread, ioclose, ioctx, URL, encoding, options))                              \
    V(xmlSetExternalEntityLoader, (xmlExternalEntityLoader f), (f))                  \
    V(xmlSetGenericErrorFunc, (void *ctx, xmlGenericErrorFunc handler),              \
      (ctx, handler))                                                                \
    V(xmlSetStructuredErrorFunc, (void *ctx, xmlStructuredErrorFunc handler),        \
      (ctx, handler))                                                                \
    X(const xmlChar *, xmlTextReaderConstLocalName, (xmlTextReaderPtr reader),       \
      (reader))                                                                      \
    X(const xmlChar *, xmlTextReaderConstName, (xmlTextReaderPtr reader), (reader))  \
    X(const xmlChar *, xmlTextReaderConstValue, (xmlTextReaderPtr reader), (reader)) \
    X(xmlNodePtr, xmlTextReaderCurrentNode, (xmlTextReaderPtr reader), (reader))     \
    X(int, xmlTextReaderDepth, (xmlTextReaderPtr reader), (reader))                  \
    X(xmlChar *, xmlTextReaderGetAttribute,                                          \
      (xmlTextReaderPtr reader, const xmlChar *name), (reader, name))                \
    X(xmlChar *, xmlTextReaderGetAttributeNs,                                        \
      (xmlTextReaderPtr reader, const xmlChar *localName,                            \
       const xmlChar *namespaceURI),                                                 \
      (reader, localName, namespaceURI))                                             \
    X(int, xmlTextReaderGetParserLineNumber, (xmlTextReaderPtr reader), (reader))    \
    X(int, xmlTextReaderHasAttributes, (xmlTextReaderPtr reader), (reader))          \
    X(int, xmlTextReaderIsEmptyElement, (xmlTextReaderPtr reader), (reader))         \
    X(int, xmlTextReaderIsNamespaceDecl, (xmlTextReaderPtr reader), (reader))        \
    X(int, xmlTextReaderMoveToElement, (xmlTextReaderPtr reader), (reader))          \
    X(int, xmlTextReaderMoveToNextAttribute, (xmlTextReaderPtr reader), (reader))    \
    X(int, xmlTextReaderNodeType, (xmlTextReaderPtr reader), (reader))               \
    X(int, xmlTextReaderRead, (xmlTextReaderPtr reader), (reader))                   \
    V(xmlTextReaderSetStructuredErrorHandler,                                        \
      (xmlTextReaderPtr reader, xmlStructuredErrorFunc f, void *arg),                \
      (reader, f, arg))

static xmlFreeFunc *xml_free_fn; /* the library's variable xmlFree */

#define DL_TABLE xml
#define DL_LIB xml_lib
BT_DL_DEFINE(XML_FUNCS, XML_SONAME, "libxml2, for reading XML",
             xml_free_fn = bt_dl_need_data(h, XML_SONAME, "xmlFree");)

/* xmlFree is a variable in libxml2's headers, holding the function that
 * frees what the library returns (free unless xmlMemSetup changed it):
 * bitext's is a function that calls the library's, read at each call. */
static void xml_free(void *mem)
{
    bt_dl_ready(&xml_lib, "xmlFree");
    (*xml_free_fn)(mem);
}

xmlFreeFunc xmlFree = xml_free;
