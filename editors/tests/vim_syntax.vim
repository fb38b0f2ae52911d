" Run: PQ_VIM_OUT=/tmp/out vim -u NONE -i NONE -N -es -S editors/tests/vim_syntax.vim
" Opens editors/tests/sample.pq with the pq syntax and checks the syntax group under listed
" tokens; writes the failures to $PQ_VIM_OUT (the one line "ok" when all pass) and quits.
let s:here = expand('<sfile>:p:h')
execute 'set runtimepath^=' . fnameescape(s:here . '/../vim')
syntax on
filetype on
execute 'edit ' . fnameescape(s:here . '/sample.pq')
let s:failures = []
if &filetype !=# 'pq'
  call add(s:failures, 'filetype is "' . &filetype . '", not pq')
endif
" [line (1-based), the token's text, its nth occurrence on the line, the group it must be in]
let s:expected = [
  \ [1, '#!/usr/bin/env', 1, 'pqShebang'],
  \ [2, 'Every', 1, 'pqComment'],
  \ [3, 'let', 1, 'pqDeclaration'],
  \ [3, '70.4M', 1, 'pqNumber'],
  \ [4, 'var', 1, 'pqDeclaration'],
  \ [4, '$2.6M', 1, 'pqNumber'],
  \ [5, '57%', 1, 'pqNumber'],
  \ [5, '2pp', 1, 'pqNumber'],
  \ [5, '.5', 1, 'pqNumber'],
  \ [5, '1_000', 1, 'pqNumber'],
  \ [5, '3.5e6', 1, 'pqNumber'],
  \ [5, '^', 1, 'pqOperator'],
  \ [6, 'fn', 1, 'pqFunctionKeyword'],
  \ [6, 'per_user', 1, 'pqFunctionName'],
  \ [6, 'revenue', 1, 'pqField'],
  \ [7, '"X"', 1, 'pqString'],
  \ [7, '\"', 1, 'pqEscape'],
  \ [7, '\u{2192}', 1, 'pqEscape'],
  \ [7, '\(', 1, 'pqInterpolationDelimiter'],
  \ [7, 'len', 1, 'pqCall'],
  \ [7, 'ratio', 1, 'pqCall'],
  \ [7, 'mau', 1, 'pqField'],
  \ [7, '}', 2, ''],
  \ [8, 'if', 1, 'pqConditional'],
  \ [8, '>=', 1, 'pqOperator'],
  \ [8, 'and', 1, 'pqOperatorWord'],
  \ [8, 'false', 1, 'pqBoolean'],
  \ [8, 'nil', 1, 'pqNil'],
  \ [8, 'else', 1, 'pqConditional'],
  \ [8, 'yes', 1, 'pqString'],
  \ [9, 'for', 1, 'pqRepeat'],
  \ [9, 'mod', 1, 'pqOperatorWord'],
  \ [10, '|>', 1, 'pqOperator'],
  \ [10, 'rank', 1, 'pqCall'],
  \ [11, 'import', 1, 'pqInclude'],
  \ [12, 'while', 1, 'pqRepeat'],
  \ [12, 'break', 1, 'pqStatement'],
  \ [13, 'trailing', 1, 'pqComment'],
  \ ]
for [s:line, s:text, s:nth, s:group] in s:expected
  let s:column = -1
  for s:i in range(s:nth)
    let s:column = stridx(getline(s:line), s:text, s:column + 1)
  endfor
  if s:column < 0
    call add(s:failures, 'line ' . s:line . ': no "' . s:text . '"')
    continue
  endif
  let s:found = synIDattr(synID(s:line, s:column + 1, 1), 'name')
  if s:found !=# s:group
    call add(s:failures, 'line ' . s:line . ' "' . s:text . '": ' . (s:found ==# '' ? '(none)' : s:found) . ', expected ' . (s:group ==# '' ? '(none)' : s:group))
  endif
endfor
call writefile(empty(s:failures) ? ['ok'] : s:failures, $PQ_VIM_OUT)
qall!
