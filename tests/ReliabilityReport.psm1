# Records one row per reliability case and regenerates docs/RELIABILITY.md from every row recorded.
#
# Why JSON lines per area: Pester 5 runs each *.Tests.ps1 in its own container, so no in-memory collector
# survives from one file to the next. Each file appends its rows to artifacts/reliability/<Area>.jsonl and,
# in its AfterAll, rewrites the document from every .jsonl present; whichever file runs last leaves the
# complete table. Running one area alone refreshes that area and keeps the others' latest rows.

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:RowsDirectory = Join-Path $script:RepoRoot 'artifacts/reliability'
$script:DocumentPath = Join-Path $script:RepoRoot 'docs/RELIABILITY.md'

# The order areas appear in the document (the order of the issue); unknown areas follow alphabetically.
$script:AreaOrder = @('Proxy', 'Tls', 'Faults', 'BadInput', 'Secrets', 'Concurrency')
$script:RunIds = @{}

function Get-ReliabilityRowsPath {
    param([Parameter(Mandatory)][string]$Area)
    Join-Path $script:RowsDirectory "$Area.jsonl"
}

<#
.SYNOPSIS
Forgets an area's rows from a previous run, so the document shows only what this run observed.
#>
function Initialize-ReliabilityArea {
    param([Parameter(Mandatory)][string]$Area)
    New-Item -ItemType Directory -Force $script:RowsDirectory | Out-Null
    # Every row carries its run's id, and the document keeps only each area's newest run: two people running
    # the suite at once on one checkout append to the same file without mixing their results. A file untouched
    # for an hour belongs to no live run and is started afresh so it cannot grow forever.
    $script:RunIds[$Area] = '{0:yyyyMMddHHmmssfff}-{1}' -f [DateTime]::UtcNow, $PID
    $path = Get-ReliabilityRowsPath $Area
    if ((Test-Path $path) -and (Get-Item $path).LastWriteTimeUtc -lt [DateTime]::UtcNow.AddHours(-1)) { Remove-Item -Force $path }
}

<#
.SYNOPSIS
Appends one row (area, case, expected, observed, pass/fail) to the area's JSON lines file.
#>
function Add-ReliabilityRow {
    param(
        [Parameter(Mandatory)][string]$Area,
        [Parameter(Mandatory)][string]$Case,
        [Parameter(Mandatory)][string]$Expected,
        [AllowEmptyString()][string]$Observed = '',
        [Parameter(Mandatory)][bool]$Passed,
        [double]$Seconds = 0
    )
    New-Item -ItemType Directory -Force $script:RowsDirectory | Out-Null
    if (-not $script:RunIds[$Area]) { throw "Initialize-ReliabilityArea $Area must run before its rows are added." }
    $row = [ordered]@{
        run      = $script:RunIds[$Area]
        area     = $Area
        case     = $Case
        expected = $Expected
        observed = $Observed
        result   = if ($Passed) { 'pass' } else { 'fail' }
        seconds  = [Math]::Round($Seconds, 1)
        time     = [DateTime]::UtcNow.ToString('o')
    }
    # One line per row, appended with a single write so rows of concurrent writers never interleave mid-line.
    [System.IO.File]::AppendAllText((Get-ReliabilityRowsPath $Area), (($row | ConvertTo-Json -Compress -Depth 3) + "`n"))
}

<#
.SYNOPSIS
Runs one case and records its row whatever happens: the body receives a hashtable and sets `Observed`
(what really happened) before asserting; a failed assertion or an exception records a failing row with the
observation so far and the reason, then rethrows so Pester reports it too.
#>
function Invoke-ReliabilityCase {
    param(
        [Parameter(Mandatory)][string]$Area,
        [Parameter(Mandatory)][string]$Case,
        [Parameter(Mandatory)][string]$Expected,
        [Parameter(Mandatory)][scriptblock]$Body
    )
    $row = @{ Observed = '' }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        & $Body $row
        Add-ReliabilityRow -Area $Area -Case $Case -Expected $Expected -Observed $row.Observed -Passed $true -Seconds $watch.Elapsed.TotalSeconds
    } catch {
        $reason = ($_.Exception.Message -split "`n")[0]
        $observed = if ($row.Observed) { "$($row.Observed) -- $reason" } else { $reason }
        Add-ReliabilityRow -Area $Area -Case $Case -Expected $Expected -Observed $observed -Passed $false -Seconds $watch.Elapsed.TotalSeconds
        throw
    }
}

function ConvertTo-MarkdownCell {
    param([AllowEmptyString()][AllowNull()][string]$Text)
    if ($null -eq $Text) { return '' }
    # A table cell is one line; pipes would split it. Long observations are cut so the table stays readable.
    $flat = ($Text -replace '\r?\n', ' ' -replace '\|', '\|').Trim()
    if ($flat.Length -gt 300) { $flat = $flat.Substring(0, 297) + '...' }
    $flat
}

<#
.SYNOPSIS
Rewrites docs/RELIABILITY.md from every artifacts/reliability/*.jsonl present. Never edit the document by hand.
#>
function Update-ReliabilityDocument {
    # Test files run in parallel (build.ps1 -TestJobs): two areas ending together must not interleave their rewrites, and the
    # one that writes last must have read the other's rows. The lock file serialises read and write (an exclusive open is
    # an advisory lock between .NET processes on Unix, a sharing lock on Windows).
    New-Item -ItemType Directory -Force $script:RowsDirectory | Out-Null
    $lockPath = Join-Path $script:RowsDirectory 'document.lock'
    $lock = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not $lock) {
        try { $lock = [System.IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None') }
        catch [System.IO.IOException] {
            if ([DateTime]::UtcNow -gt $deadline) { throw "docs/RELIABILITY.md: another test process held $lockPath for a minute" }
            Start-Sleep -Milliseconds 50
        }
    }
    try { Write-ReliabilityDocument }
    finally { $lock.Dispose() }
}

function Write-ReliabilityDocument {
    $files = @(Get-ChildItem $script:RowsDirectory -Filter '*.jsonl' -ErrorAction SilentlyContinue)
    $rows = foreach ($f in $files) {
        foreach ($line in [System.IO.File]::ReadAllLines($f.FullName)) {
            if ($line.Trim()) { $line | ConvertFrom-Json }
        }
    }
    # Per area, only the newest run (run ids sort by their start time).
    $rows = @($rows | Group-Object area | ForEach-Object {
            $newest = ($_.Group | ForEach-Object run | Sort-Object -Descending | Select-Object -First 1)
            $_.Group | Where-Object run -eq $newest
        })
    $areas = @($rows | ForEach-Object area | Sort-Object -Unique)
    $ordered = @($script:AreaOrder | Where-Object { $_ -in $areas }) + @($areas | Where-Object { $_ -notin $script:AreaOrder })
    $passed = @($rows | Where-Object result -eq 'pass').Count
    $failed = $rows.Count - $passed

    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('# Reliability and security results')
    $lines.Add('')
    $lines.Add('<!-- GENERATED by tests/Reliability.*.Tests.ps1 through tests/ReliabilityReport.psm1. Do not edit by hand: run')
    $lines.Add("     'dotnet pwsh ./build.ps1 Test -PesterFilter Reliability*' to regenerate. -->")
    $lines.Add('')
    $lines.Add('Every row is a Pester test against real components on loopback: the built module and its task wrapper in child')
    $lines.Add('`pwsh` processes, the local Step Functions endpoint (real HTTP, real SigV4, fault injection), tinyproxy, stunnel and')
    $lines.Add('certificates made with openssl. "observed" is what the run saw, not what was hoped for.')
    $lines.Add('')
    $lines.Add("Generated $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC on $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion): **$passed passed, $failed failed**.")
    $lines.Add('')
    # An area run alone keeps the other areas' latest rows: the "recorded" column says when each area last ran.
    $lines.Add('| area | cases | passed | failed | recorded (UTC) |')
    $lines.Add('|---|---:|---:|---:|---|')
    foreach ($area in $ordered) {
        $inArea = @($rows | Where-Object area -eq $area)
        $ok = @($inArea | Where-Object result -eq 'pass').Count
        $recorded = ($inArea | ForEach-Object { [DateTime]::Parse($_.time, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime() } | Measure-Object -Maximum).Maximum
        $lines.Add("| [$area](#$($area.ToLowerInvariant())) | $($inArea.Count) | $ok | $($inArea.Count - $ok) | $($recorded.ToString('yyyy-MM-dd HH:mm')) |")
    }
    foreach ($area in $ordered) {
        $inArea = @($rows | Where-Object area -eq $area)
        $lines.Add('')
        $lines.Add("## $area")
        $lines.Add('')
        $lines.Add('| case | expected | observed | result |')
        $lines.Add('|---|---|---|---|')
        foreach ($r in $inArea) {
            $mark = if ($r.result -eq 'pass') { 'pass' } else { '**FAIL**' }
            $lines.Add("| $(ConvertTo-MarkdownCell $r.case) | $(ConvertTo-MarkdownCell $r.expected) | $(ConvertTo-MarkdownCell $r.observed) | $mark |")
        }
    }
    New-Item -ItemType Directory -Force (Split-Path $script:DocumentPath) | Out-Null
    [System.IO.File]::WriteAllText($script:DocumentPath, (($lines -join "`n") + "`n"))
}

Export-ModuleMember -Function Initialize-ReliabilityArea, Add-ReliabilityRow, Invoke-ReliabilityCase, Update-ReliabilityDocument, Get-ReliabilityRowsPath
