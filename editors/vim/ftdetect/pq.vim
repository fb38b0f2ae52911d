" pq scripts: *.pq, and files whose first line is a pq shebang.
autocmd BufRead,BufNewFile *.pq setfiletype pq
autocmd BufRead,BufNewFile * if getline(1) =~# '^#!.*\<pq\>' | setfiletype pq | endif
