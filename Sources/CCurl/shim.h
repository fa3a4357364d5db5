#ifndef LEAKWARD_CCURL_SHIM_H
#define LEAKWARD_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is opened the first time a request is sent (`--verify` only), not linked: every other
   run then starts without the dynamic loader mapping and relocating libcurl and the two dozen
   libraries it needs (gnutls, krb5, ldap, nghttp2, ...), about 5 ms of CPU before main. The
   declarations still come from <curl/curl.h>; the calls go through the ccurl_ functions below,
   each looked up by name in the opened library. NULL when libcurl cannot be loaded. */
static inline void *ccurl_library(void) {
    static void *library;
    void *loaded = __atomic_load_n(&library, __ATOMIC_ACQUIRE);
    if (loaded == NULL) {
        /* Two threads may both open it: dlopen hands back the same handle, counted twice. */
        const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl.dylib"};
        for (size_t i = 0; i < sizeof names / sizeof names[0] && loaded == NULL; i++) {
            loaded = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        }
        if (loaded != NULL) __atomic_store_n(&library, loaded, __ATOMIC_RELEASE);
    }
    return loaded;
}

static inline void *ccurl_symbol(const char *name) {
    void *library = ccurl_library();
    return library == NULL ? NULL : dlsym(library, name);
}

/* NULL when libcurl cannot be loaded: the caller says so and sends nothing. */
static inline CURL *ccurl_easy_init(void) {
    CURL *(*function)(void) = (CURL *(*)(void))ccurl_symbol("curl_easy_init");
    return function == NULL ? NULL : function();
}
/* The functions below are called only with a handle ccurl_easy_init gave: libcurl is loaded. */
static inline void ccurl_easy_cleanup(CURL *handle) {
    ((void (*)(CURL *))ccurl_symbol("curl_easy_cleanup"))(handle);
}
static inline CURLcode ccurl_easy_perform(CURL *handle) {
    return ((CURLcode (*)(CURL *))ccurl_symbol("curl_easy_perform"))(handle);
}
static inline const char *ccurl_easy_strerror(CURLcode code) {
    return ((const char *(*)(CURLcode))ccurl_symbol("curl_easy_strerror"))(code);
}
static inline struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return ((struct curl_slist *(*)(struct curl_slist *, const char *))ccurl_symbol("curl_slist_append"))(list, text);
}
static inline void ccurl_slist_free_all(struct curl_slist *list) {
    if (list != NULL) ((void (*)(struct curl_slist *))ccurl_symbol("curl_slist_free_all"))(list);
}

/* curl_easy_setopt and curl_easy_getinfo are variadic and do not import into Swift:
   one typed wrapper per argument type. */
typedef CURLcode (*ccurl_setopt_function)(CURL *handle, CURLoption option, ...);
static inline ccurl_setopt_function ccurl_setopt(void) {
    return (ccurl_setopt_function)ccurl_symbol("curl_easy_setopt");
}
static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return ccurl_setopt()(handle, option, value);
}
static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return ccurl_setopt()(handle, option, value);
}
static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return ccurl_setopt()(handle, option, value);
}
static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return ccurl_setopt()(handle, option, value);
}
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode ccurl_setopt_write(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return ccurl_setopt()(handle, option, value);
}
static inline CURLcode ccurl_response_code(CURL *handle, long *code) {
    CURLcode (*getinfo)(CURL *, CURLINFO, ...) = (CURLcode (*)(CURL *, CURLINFO, ...))ccurl_symbol("curl_easy_getinfo");
    return getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}
#endif
