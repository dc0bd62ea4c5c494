# One fresh session: how long Import-Module takes, how long the first Start-UeStepFunction takes after
# it, and the median of the warm calls that follow (the first call's yardstick).
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [int]$WarmCalls = 20
)
$ErrorActionPreference = 'Stop'
# No cmdlet of another module before the import (Join-Path would autoload Microsoft.PowerShell.Management): the import
# measured is the session's first, as in a fresh task or runbook.
. "$PSScriptRoot/SessionCommon.ps1"
$credential = New-BenchCredential
$common = @{ EndpointUrl = $EndpointUrl; Region = $Region; Credential = $credential }

$workingSetBefore = [Environment]::WorkingSet
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importMs = $sw.Elapsed.TotalMilliseconds
$workingSetAfterImport = [Environment]::WorkingSet

$sw.Restart()
$first = Start-UeStepFunction -StateMachineArn $StateMachineArn @common
$firstCallMs = $sw.Elapsed.TotalMilliseconds
$null = Get-OutputExecutionArn $first

$warm = foreach ($i in 1..$WarmCalls) {
    $sw.Restart()
    $null = Start-UeStepFunction -StateMachineArn $StateMachineArn @common
    $sw.Elapsed.TotalMilliseconds
}
Write-SessionResult ([ordered]@{
    importMs                   = $importMs
    firstCallMs                = $firstCallMs
    warmMedianMs               = Get-SessionMedian $warm
    workingSetBeforeImportBytes = $workingSetBefore
    workingSetAfterImportBytes = $workingSetAfterImport
    workingSetAfterCallsBytes  = [Environment]::WorkingSet
})
