-- A real editor against `pq lsp`: Neovim (0.7 or later) opens a file, waits for the server's
-- diagnostics, edits it (a broken line in the middle included), and asks for hover, completion,
-- definition, symbols and formatting. Any wrong
-- answer ends Neovim with status 1 and a message on stderr.
-- Run: PQ=.build/release/pq nvim --headless -u NONE -i NONE -n -c 'luafile editors/tests/nvim_lsp.lua'
local pq = os.getenv('PQ') or 'pq'
local failures = {}
local function check(ok, what)
  if not ok then table.insert(failures, what) end
end
local function finish()
  if #failures > 0 then
    io.stderr:write('nvim + pq lsp: ' .. #failures .. ' failure(s)\n  ' .. table.concat(failures, '\n  ') .. '\n')
    vim.cmd('cquit 1')
  end
  io.stdout:write('nvim + pq lsp: all checks passed\n')
  vim.cmd('qall!')
end

local folder = vim.fn.tempname()
vim.fn.mkdir(folder, 'p')
local path = folder .. '/scratch.pq'
vim.fn.writefile({
  'fn per_user(p) { p.revenue / p.mau }',
  'let gap = x.revenue + x.mau',
  'print(per_user(x), ratio(x.mau, truth.mau), nosuch)',
  'let café = "naïve"',
}, path)
-- The last line is an error on purpose (names are ASCII), after a non-ASCII string.
vim.cmd('edit ' .. path)
local buffer = vim.api.nvim_get_current_buf()

local diagnostics = nil
local client_id = vim.lsp.start_client({
  cmd = { pq, 'lsp' },
  root_dir = folder,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, result)
      diagnostics = result.diagnostics
    end,
  },
})
check(client_id ~= nil, 'the client did not start')
vim.lsp.buf_attach_client(buffer, client_id)
check(vim.wait(10000, function() return diagnostics ~= nil end, 20), 'no diagnostics within 10 s')
local client = vim.lsp.get_client_by_id(client_id)

if diagnostics then
  local messages = {}
  for _, d in ipairs(diagnostics) do
    messages[#messages + 1] = string.format('%d:%d %s', d.range.start.line, d.range.start.character, d.message)
  end
  local all = table.concat(messages, ' | ')
  -- `let café` is a syntax error; the rest of the file is still read (its broken line blanked),
  -- so the unit error on line 2 is reported beside it.
  check(
    #diagnostics == 2 and all:find("^1:20 cannot add USD and users") ~= nil
      and all:find("| 3:7 unexpected character 'é'", 1, true) ~= nil,
    'syntax diagnostics: ' .. all)
end

-- The diagnostics as `line:character message` (first lines only), joined by ' | '.
local function firstLines(list)
  local found = {}
  for _, d in ipairs(list) do
    found[#found + 1] = string.format('%d:%d %s', d.range.start.line, d.range.start.character, d.message:match('^[^\n]*'))
  end
  return table.concat(found, ' | ')
end

-- Fix the last line; the unit error and the undefined name come back.
diagnostics = nil
vim.api.nvim_buf_set_lines(buffer, 3, 4, false, { 'let cafe = "naïve"' })
check(vim.wait(10000, function() return diagnostics ~= nil end, 20), 'no diagnostics after the change')
if diagnostics then
  local all = firstLines(diagnostics)
  check(all:find('1:20 cannot add USD and users', 1, true) ~= nil, 'unit diagnostic: ' .. all)
  check(all:find("2:44 'nosuch' is not defined", 1, true) ~= nil, 'name diagnostic: ' .. all)
end

local function request(method, params)
  local response = client.request_sync(method, params, 10000, buffer)
  check(response ~= nil and response.err == nil, method .. ' failed: ' .. vim.inspect(response))
  return response and response.result
end
local document = { uri = vim.uri_from_bufnr(buffer) }

local hover = request('textDocument/hover', { textDocument = document, position = { line = 2, character = 28 } })
local text = hover and hover.contents and hover.contents.value or ''
check(text:find('70.4M users', 1, true) and text:find('Similarweb, September 2024', 1, true), 'hover on x.mau: ' .. text)

local completion = request('textDocument/completion', { textDocument = document, position = { line = 1, character = 12 } })
local labels = {}
for _, item in ipairs(completion and completion.items or {}) do labels[item.label] = true end
check(labels['revenue'] and labels['mau'] and labels['news_share'], 'completion after x.: ' .. vim.inspect(vim.tbl_keys(labels)))

local definition = request('textDocument/definition', { textDocument = document, position = { line = 2, character = 8 } })
check(definition and definition.range and definition.range.start.line == 0 and definition.range.start.character == 3,
  'definition of per_user: ' .. vim.inspect(definition))

local symbols = request('textDocument/documentSymbol', { textDocument = document })
local names = {}
for _, symbol in ipairs(symbols or {}) do names[#names + 1] = symbol.name end
check(table.concat(names, ',') == 'per_user,gap,cafe', 'symbols: ' .. table.concat(names, ','))

-- A line being typed in the middle (a bracket left open) and a unit error that flows through the
-- file's own function below it: both reported, and the function still a symbol.
diagnostics = nil
vim.api.nvim_buf_set_lines(buffer, 2, 3, false, {
  'let half = (x.mau +',
  'fn add(a, b) { a + b }',
  'let total = add(x.mau, x.revenue)',
})
check(vim.wait(10000, function() return diagnostics ~= nil end, 20), 'no diagnostics for the broken file')
if diagnostics then
  local all = firstLines(diagnostics)
  check(all:find("3:0 expected an expression, found 'fn'", 1, true) ~= nil, 'syntax error in the middle: ' .. all)
  check(all:find('3:17 cannot add users and USD', 1, true) ~= nil, 'unit error through add: ' .. all)
end
local broken = request('textDocument/documentSymbol', { textDocument = document })
local brokenNames = {}
for _, symbol in ipairs(broken or {}) do brokenNames[#brokenNames + 1] = symbol.name end
check(table.concat(brokenNames, ',') == 'per_user,gap,half,add,total,cafe', 'symbols of the broken file: ' .. table.concat(brokenNames, ','))
-- Back to the sound file.
diagnostics = nil
vim.api.nvim_buf_set_lines(buffer, 2, 5, false, { 'print(per_user(x), ratio(x.mau, truth.mau), nosuch)' })
check(vim.wait(10000, function() return diagnostics ~= nil end, 20), 'no diagnostics after the repair')

local edits = request('textDocument/formatting', { textDocument = document, options = { tabSize = 2, insertSpaces = true } })
check(edits and #edits == 0, 'formatting a formatted file: ' .. vim.inspect(edits))
vim.api.nvim_buf_set_lines(buffer, 0, 1, false, { 'fn per_user(p){p.revenue/p.mau}' })
vim.wait(200)
edits = request('textDocument/formatting', { textDocument = document, options = { tabSize = 2, insertSpaces = true } })
if edits and #edits == 1 then
  vim.lsp.util.apply_text_edits(edits, buffer, 'utf-16')
  check(vim.api.nvim_buf_get_lines(buffer, 0, 1, false)[1] == 'fn per_user(p) { p.revenue / p.mau }',
    'formatted line: ' .. vim.api.nvim_buf_get_lines(buffer, 0, 1, false)[1])
else
  check(false, 'formatting edits: ' .. vim.inspect(edits))
end

client.stop()
vim.wait(2000, function() return client.is_stopped() end, 20)
finish()
