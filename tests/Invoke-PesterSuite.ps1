# Runs the tests/*.Tests.ps1 that match -Filter with Pester in this (fresh) pwsh and writes a count summary for build.ps1
# (which runs one file per process, a few at once: tools/TestJobs.psm1).
param(
    [Parameter(Mandatory)][string]$PesterPath,
    [Parameter(Mandatory)][string]$SummaryPath,
    [Parameter(Mandatory)][string]$ResultsDirectory,
    [string]$Filter = '*',
    # The NUnit XML report's file name, without extension: one per process when several run at once.
    [string]$ReportName = 'pester'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$files = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$config = New-PesterConfiguration
$config.Run.Path = $files
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$result = if ($files.Count) { Invoke-Pester -Configuration $config } else { $null }
# The XML report is written here rather than by Invoke-Pester: a failure message that carries a control character (an ANSI
# colour code from a child's output) makes the XML writer throw, which inside Invoke-Pester lost the whole run's counts.
if ($result) {
    try { $result | Export-NUnitReport -Path (Join-Path $ResultsDirectory "$ReportName.xml") }
    catch { Write-Warning "$ReportName.xml was not written: $($_.Exception.Message)" }
}
$summary = [ordered]@{
    Passed  = if ($result) { $result.PassedCount } else { 0 }
    Failed  = if ($result) { $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount } else { 0 }
    Skipped = if ($result) { $result.SkippedCount } else { 0 }
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath
exit ([int]($summary.Failed -gt 0))
