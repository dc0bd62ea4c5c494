# Windows PowerShell 5.1 cannot run here, yet a Universal Agent on Windows may run the task script with powershell.exe:
# the script is checked for what 5.1 lacks (PowerShell 7 operators, variables, commands, parameters and .NET members),
# and the check itself is shown to find each of them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'fixtures/DesktopCompatibility.psm1') -Force
    $script:TaskScript = Join-Path (Split-Path $PSScriptRoot) 'UeStepFunctionTask.ps1'
}

Describe 'The Universal task script on Windows PowerShell 5.1' {
    It 'uses nothing that Windows PowerShell 5.1 lacks' {
        $found = @(Find-DesktopIncompatibility -Path $script:TaskScript)
        ($found | ForEach-Object { "line $($_.Line): $($_.What)" }) -join "`n" | Should -BeNullOrEmpty
    }
}

Describe 'The 5.1 check' {
    It 'finds <What> in: <Snippet>' -ForEach @(
        @{ Snippet = '$a = $b ? 1 : 2'; What = 'ternary' }
        @{ Snippet = 'Get-Item x && Get-Item y'; What = 'pipeline chain' }
        @{ Snippet = '$a = $b ?? 1'; What = 'null-coalescing operator' }
        @{ Snippet = '$a ??= 1'; What = 'null-coalescing assignment' }
        @{ Snippet = '${a}?.Length'; What = 'null-conditional' }
        @{ Snippet = 'function f { process { } clean { } }'; What = 'clean block' }
        @{ Snippet = 'if ($IsWindows) { }'; What = '$IsWindows' }
        @{ Snippet = '$x | Test-Json'; What = 'Test-Json' }
        @{ Snippet = '1..2 | ForEach-Object -Parallel { $_ }'; What = 'ForEach-Object -Parallel' }
        @{ Snippet = '$t | ConvertFrom-Json -AsHash'; What = 'ConvertFrom-Json -AsHash' }
        @{ Snippet = 'Get-Content x -AsByteStream'; What = 'Get-Content -AsByteStream' }
        @{ Snippet = 'Join-Path a b -AdditionalChildPath c'; What = 'Join-Path -AdditionalChildPath' }
        @{ Snippet = "'x' | Out-File f -Encoding utf8NoBOM"; What = 'utf8NoBOM' }
        @{ Snippet = "Set-Content f 'x' -Encoding:ansi"; What = 'ansi' }
        @{ Snippet = '[System.IO.Path]::GetRelativePath($a, $b)'; What = '[IO.Path]::GetRelativePath' }
        @{ Snippet = '[Environment]::ProcessId'; What = '[Environment]::ProcessId' }
        @{ Snippet = '"`e[1m"'; What = 'escape' }
        @{ Snippet = '"`u{2713}"'; What = 'escape' }
    ) {
        $found = @(Find-DesktopIncompatibility -Text $Snippet)
        $found.What -join "; " | Should -Match ([regex]::Escape($What))
    }

    It 'passes what 5.1 runs, including the look-alikes: <Snippet>' -ForEach @(
        @{ Snippet = 'if ($a) { 1 } else { 2 }; Get-Item x; if ($?) { Get-Item y }' }
        @{ Snippet = 'Join-Path a -ChildPath b; Get-Content x -Raw -Encoding UTF8; $t | ConvertTo-Json -Depth 5 -Compress' }
        @{ Snippet = '[IO.Path]::Combine($a, $b); [Environment]::GetCommandLineArgs(); [regex]::Replace($a, "b", { param($m) "c" })' }
        @{ Snippet = '"``e is a backtick and an e"; "`$env"; $IsWindowsLike = 1' }
    ) {
        @(Find-DesktopIncompatibility -Text $Snippet) | Should -BeNullOrEmpty
    }
}
