// Fixed-arity wrappers around libedit's variadic el_set/el_get/history calls, which Swift cannot
// call directly, and accessors for the C standard streams (mutable C globals are not
// concurrency-safe in Swift 6), and the one malloc setting the command makes.
#ifndef PQ_CEDITLINE_H
#define PQ_CEDITLINE_H

#include <histedit.h>
#include <stdio.h>
#include <signal.h>
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

typedef unsigned char (*pq_el_command)(EditLine *, int);
typedef char *(*pq_el_prompt)(EditLine *);

static inline EditLine *pq_el_init(const char *program) {
  return el_init(program, stdin, stdout, stderr);
}
static inline int pq_el_set_prompt(EditLine *el, pq_el_prompt prompt) {
  return el_set(el, EL_PROMPT, prompt);
}
static inline int pq_el_set_editor(EditLine *el, const char *mode) {
  return el_set(el, EL_EDITOR, mode);
}
static inline int pq_el_set_history(EditLine *el, History *h) {
  return el_set(el, EL_HIST, history, h);
}
static inline int pq_el_add_function(EditLine *el, const char *name, const char *help, pq_el_command f) {
  return el_set(el, EL_ADDFN, name, help, f);
}
static inline int pq_el_bind(EditLine *el, const char *key, const char *command) {
  return el_set(el, EL_BIND, key, command, NULL);
}
static inline int pq_el_set_client_data(EditLine *el, void *data) {
  return el_set(el, EL_CLIENTDATA, data);
}
static inline void *pq_el_get_client_data(EditLine *el) {
  void *data = NULL;
  el_get(el, EL_CLIENTDATA, &data);
  return data;
}
static inline int pq_el_set_signal(EditLine *el, int on) {
  return el_set(el, EL_SIGNAL, on);
}
static inline History *pq_history_init(void) {
  History *h = history_init();
  HistEvent ev;
  history(h, &ev, H_SETSIZE, 1000);
  history(h, &ev, H_SETUNIQUE, 1);
  return h;
}
static inline int pq_history_enter(History *h, const char *line) {
  HistEvent ev;
  return history(h, &ev, H_ENTER, line);
}
static inline int pq_history_load(History *h, const char *path) {
  HistEvent ev;
  return history(h, &ev, H_LOAD, path);
}
static inline int pq_history_save(History *h, const char *path) {
  HistEvent ev;
  return history(h, &ev, H_SAVE, path);
}
static inline int pq_history_count(History *h) {
  HistEvent ev;
  if (history(h, &ev, H_GETSIZE) < 0) return 0;
  return ev.num;
}
static inline FILE *pq_stdout(void) { return stdout; }
static inline FILE *pq_stderr(void) { return stderr; }
static inline void pq_ensure_utf8_locale(void) {
  setlocale(LC_CTYPE, "");
  const char *codeset = nl_langinfo(CODESET);
  if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
    setlocale(LC_CTYPE, "C.UTF-8");
  }
}

/* One malloc arena for the whole process (glibc only): see Sources/pq/main.swift. */
static inline void pq_use_one_malloc_arena(void) {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, 1);
#endif
}

#endif
