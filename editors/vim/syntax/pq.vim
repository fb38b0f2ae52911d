" Vim syntax file
" Language: pq (questioning the figures of social platforms)
" Maintainer: the pq project
" Covers every token kind: comments, strings with escapes and \( … ) interpolation (nested
" parentheses included), numbers in pq notation (70.4M, $2.6M, 57%, 2pp, 1_000, 3.5e6),
" keywords, operators, function names, fields.

if exists('b:current_syntax')
  finish
endif

syntax keyword pqConditional if else
syntax keyword pqRepeat for in while
syntax keyword pqStatement break continue return
syntax keyword pqDeclaration let var
syntax keyword pqFunctionKeyword fn nextgroup=pqFunctionName skipwhite
syntax keyword pqInclude import as
syntax keyword pqOperatorWord and or not mod
syntax keyword pqBoolean true false
syntax keyword pqNil nil

syntax match pqFunctionName /\h\w*/ contained
syntax match pqCall /\<\h\w*\ze\s*(/
syntax match pqField /\.\@1<=\h\w*/
syntax match pqNumber /\%(\w\)\@1<!\$\=\%(\d[0-9_]*\%(\.\d\+\)\=\|\.\d\+\)\%([eE][+-]\=\d\+\)\=[KMBT]\=\%(%\|pp\>\)\=/
syntax match pqOperator /|>\|==\|!=\|<=\|>=\|[-+*\/^<>=]=\=/
syntax match pqComment /#.*$/ contains=pqTodo,@Spell
syntax match pqShebang /\%^#!.*$/
syntax keyword pqTodo TODO FIXME XXX contained

syntax region pqString start=/"/ skip=/\\\\\|\\"/ end=/"/ contains=pqEscape,pqInterpolation,@Spell
syntax match pqEscape /\\[ntr0\\"$]\|\\u{\x\{1,6}}/ contained
syntax region pqInterpolation matchgroup=pqInterpolationDelimiter start=/\\(/ end=/)/ contained contains=TOP,pqParens
syntax region pqParens start=/(/ end=/)/ contained transparent contains=TOP,pqParens

highlight default link pqConditional Conditional
highlight default link pqRepeat Repeat
highlight default link pqStatement Statement
highlight default link pqDeclaration StorageClass
highlight default link pqFunctionKeyword Keyword
highlight default link pqFunctionName Function
highlight default link pqInclude Include
highlight default link pqOperatorWord Operator
highlight default link pqOperator Operator
highlight default link pqBoolean Boolean
highlight default link pqNil Constant
highlight default link pqCall Function
highlight default link pqField Identifier
highlight default link pqNumber Number
highlight default link pqComment Comment
highlight default link pqShebang PreProc
highlight default link pqTodo Todo
highlight default link pqString String
highlight default link pqEscape SpecialChar
highlight default link pqInterpolationDelimiter Delimiter

let b:current_syntax = 'pq'
