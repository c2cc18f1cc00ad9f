-- Neovim's own LSP client (nobody on the seam team wrote it) opens one file of a fixture app with
-- `seam lsp` attached, waits for diagnostics, and writes them as `LINE RULE` lines (1-based).
-- Run headless; inputs come from the environment: SEAM_BIN, SEAM_ROOT, SEAM_FILE, SEAM_OUT.
local seam = os.getenv('SEAM_BIN')
local root = os.getenv('SEAM_ROOT')
local file = os.getenv('SEAM_FILE')
local out = os.getenv('SEAM_OUT')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({ name = 'seam', cmd = { seam, 'lsp' }, root_dir = root })
vim.lsp.buf_attach_client(buf, client)

local got = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)

local lines = {}
if not got then
  table.insert(lines, 'timeout')
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  table.insert(lines, string.format('%d %s', d.lnum + 1, tostring(code)))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client)
vim.cmd('qa!')
