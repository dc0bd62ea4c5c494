#!/usr/bin/env pwsh
<#
.SYNOPSIS
The one entry point: Build, Test, Demo, Bench, Soak, Clean.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test

.EXAMPLE
dotnet pwsh ./build.ps1 Bench -Quick

.EXAMPLE
dotnet pwsh ./build.ps1 Soak
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Soak', 'Clean')]
    [string[]]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',

    # Bench, Soak: a short run that only proves the benchmark or the soak still works (CI uses it).
    [switch]$Quick,

    # Test: run only the Pester files whose name matches (e.g. 'Start*'); xunit is skipped when set.
    [string]$PesterFilter,

    # Test: run Pester on the .NET tool's own pwsh (IL only) instead of its precompiled copy.
    [switch]$IlOnlyPwsh,

    # Test: how many suites (an xunit project, a Pester file) run at once, each in its own process.
    [ValidateRange(1, 16)]
    [int]$TestJobs = 2,

    # Test: minutes one suite may run before it is killed and reported (the longest, Benchmark, takes under 3 in CI on 2 cores).
    [ValidateRange(1, 90)]
    [int]$TestJobMinutes = 20
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = $PSScriptRoot
$Artifacts = Join-Path $RepoRoot 'artifacts'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
Import-Module (Join-Path $RepoRoot 'tools/TestJobs.psm1')

# Test: the suites that took longest in CI (2 cores), longest first, so that the parallel slots end together.
$LongestTestJobs = @('Benchmark', 'Task', 'Reliability.Faults', 'Sso', 'AwsStepFunctions.Local.Tests', 'AwsStepFunctions.Core.Tests',
    'Reliability.Secrets', 'Reliability.Proxy', 'Cmdlets', 'HelpExamples', 'Profiles', 'StatesLanguage.EndToEnd', 'WebIdentity', 'Cmdlets.Throttle')

function Invoke-Native {
    param([string]$Command, [string[]]$Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') exited with $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "==> Build ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $RepoRoot 'StepFunctionsPS.sln'), '-c', $Configuration, '-nologo', '-v', 'q', '-clp:ErrorsOnly')
    & (Join-Path $RepoRoot 'tools/Build-Module.ps1') -Configuration $Configuration
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $RepoRoot 'tests/tools/TestTools.csproj'), '-v', 'q')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $psd1 = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was not restored to $psd1" }
    $psd1
}

function Read-TrxCounts {
    param([string]$Path)
    [xml]$trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

<# One xunit job's counts, and what is wrong beyond failed tests (Problem): no results, or an exit code they do not explain. #>
function Read-XunitCounts {
    param([string]$TrxPath, [int]$ExitCode)
    if (-not (Test-Path $TrxPath)) { return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Problem = "no test results (dotnet test exited $ExitCode)" } }
    $c = Read-TrxCounts $TrxPath
    $problem = if ($ExitCode -ne 0 -and $c.Failed -eq 0) { "dotnet test exited $ExitCode" }
    [pscustomobject]@{ Passed = $c.Passed; Failed = $c.Failed; Skipped = $c.Skipped; Problem = $problem }
}

<# One Pester file's counts from the summary its runner wrote. #>
function Read-PesterCounts {
    param([string]$SummaryPath, [int]$ExitCode)
    if (-not (Test-Path $SummaryPath)) { return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Problem = "Pester wrote no summary (exited $ExitCode)" } }
    $p = Get-Content -Raw $SummaryPath | ConvertFrom-Json
    $problem = if ($ExitCode -ne 0 -and $p.Failed -eq 0) { "Pester exited $ExitCode" }
    [pscustomobject]@{ Passed = [int]$p.Passed; Failed = [int]$p.Failed; Skipped = [int]$p.Skipped; Problem = $problem }
}

<# Whether this process ignores SIGINT: a shell without job control starts `cmd &` that way, and every child inherits it. #>
function Test-SigIntIgnored {
    if (-not $IsLinux) { return $false }
    $line = Select-String -Path '/proc/self/status' -Pattern '^SigIgn:\s*([0-9a-f]+)' | Select-Object -First 1
    # SIGINT is signal 2: bit 1 of the mask.
    return $null -ne $line -and (([Convert]::ToUInt64($line.Matches[0].Groups[1].Value, 16) -band 2) -ne 0)
}

function Invoke-Test {
    if (Test-SigIntIgnored) {
        # The module then rightly declines to take SIGTERM for Ctrl+C, and the Ctrl+C/SIGTERM tests fail as if it were broken.
        Write-Warning 'This process ignores SIGINT (started in the background by a shell without job control, e.g. `(cmd &)` or nohup in a script): the tests that send Ctrl+C or SIGTERM will fail. Run the tests in the foreground, or with job control on (`set -m`).'
    }
    Invoke-Build
    $results = Join-Path $Artifacts 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    New-Item -ItemType Directory -Force $results | Out-Null
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $problems = [System.Collections.Generic.List[string]]::new()
    # Each job also says where its counts will be: Kind and Results.
    $jobs = [ordered]@{}

    if (-not $PesterFilter) {
        foreach ($project in Get-ChildItem (Join-Path $RepoRoot 'tests') -Recurse -Filter '*.Tests.csproj') {
            $trx = Join-Path $results "$($project.BaseName).trx"
            $jobs[$project.BaseName] = @{ Name = $project.BaseName; Kind = 'xunit'; Results = $trx; FilePath = 'dotnet'
                Arguments = @('test', $project.FullName, '-c', $Configuration, '--no-build', '--nologo', '-v', 'q',
                    '--logger', "trx;LogFileName=$($project.BaseName).trx", '--logger', 'console;verbosity=minimal', '--results-directory', $results) }
        }
    }

    $pester = Get-PesterModulePath
    $runner = Join-Path $RepoRoot 'tests/Invoke-PesterSuite.ps1'
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not $IlOnlyPwsh) {
        Import-Module (Join-Path $RepoRoot 'tools/ReadyToRun.psm1')
        try { $pwsh = Get-PrecompiledPowerShell }
        catch { Write-Warning "Pester runs on the IL-only pwsh: no precompiled copy ($($_.Exception.Message))" }
    }
    $env:AWSSTEPFUNCTIONS_TEST_PWSH = if ($IlOnlyPwsh) { 'il-only' } else { 'precompiled' }
    $filter = if ($PesterFilter) { $PesterFilter } else { '*' }
    $pesterFiles = @(Get-ChildItem (Join-Path $RepoRoot 'tests') -Filter "$filter.Tests.ps1" | ForEach-Object { $_.Name -replace '\.Tests\.ps1$' })
    Write-Host "==> $($jobs.Count) xunit project(s) and $($pesterFiles.Count) Pester file(s), $TestJobs at a time; Pester on $pwsh"
    foreach ($name in $pesterFiles) {
        $summary = Join-Path $results "pester-$name.json"
        $jobs[$name] = @{ Name = $name; Kind = 'pester'; Results = $summary; FilePath = $pwsh
            Arguments = @('-NoProfile', '-NonInteractive', '-File', $runner, '-PesterPath', $pester, '-SummaryPath', $summary,
                '-ResultsDirectory', $results, '-Filter', $name, '-ReportName', "pester-$name") }
    }

    if ($jobs.Count -eq 0) { $problems.Add("no Pester file matches -PesterFilter '$PesterFilter' (tests/<filter>.Tests.ps1)") }
    $ran = if ($jobs.Count) {
        $order = Select-LongestFirst -Name @($jobs.Keys) -KnownLongest $LongestTestJobs
        Invoke-TestJobs -Job @($order | ForEach-Object { $jobs[$_] }) -Parallel $TestJobs -TimeLimit ([timespan]::FromMinutes($TestJobMinutes))
    } else { @() }
    foreach ($job in $ran) {
        if ($job.TimedOut) {
            # Whatever counts it left are from before the kill, and partial: none of them is added.
            $problems.Add("$($job.Name): killed after $TestJobMinutes min (-TestJobMinutes) without ending; its output above shows how far it got")
            continue
        }
        $spec = $jobs[$job.Name]
        $c = if ($spec.Kind -eq 'xunit') { Read-XunitCounts $spec.Results $job.ExitCode } else { Read-PesterCounts $spec.Results $job.ExitCode }
        foreach ($k in 'Passed', 'Failed', 'Skipped') { $totals[$k] += $c.$k }
        if ($c.Problem) { $problems.Add("$($job.Name): $($c.Problem)") }
    }

    foreach ($p in $problems) { Write-Host "ERROR: $p" -ForegroundColor Red }
    $line = "$($totals.Passed) passed, $($totals.Failed) failed"
    if ($totals.Skipped -gt 0) { $line += ", $($totals.Skipped) skipped" }
    Write-Host $line
    if ($totals.Failed -gt 0 -or $problems.Count -gt 0 -or ($totals.Passed -eq 0)) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & (Join-Path $RepoRoot 'tools/Demo.ps1') -Configuration $Configuration
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    & (Join-Path $RepoRoot 'bench/Invoke-Benchmarks.ps1') -Configuration $Configuration -Quick:$Quick
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

function Invoke-Soak {
    Invoke-Build
    & (Join-Path $RepoRoot 'bench/Invoke-Soak.ps1') -Configuration $Configuration -Quick:$Quick
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    foreach ($dir in @($Artifacts, (Join-Path $RepoRoot 'bin')) + @(Get-ChildItem $RepoRoot -Recurse -Directory -Include bin, obj | Where-Object FullName -match '[\\/](src|tests)[\\/]' | ForEach-Object FullName)) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
    Get-ChildItem (Join-Path $RepoRoot 'en-US') -Filter '*-Help.xml' -ErrorAction SilentlyContinue | Remove-Item -Force
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Soak' { Invoke-Soak }
        'Clean' { Invoke-Clean }
    }
}
