# The yardstick for the import: PowerShell's own one-time cost of a session's first module import (the module
# system, manifest processing and the parser compiled on first use), measured on a given trivial module in a fresh
# session, the way Measure-ImportAndFirstCall.ps1 measures ours.
param([Parameter(Mandatory)][string]$ModulePath)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot/SessionCommon.ps1"
# The same work before the import as Measure-ImportAndFirstCall.ps1 does (its credential, its parameter table, a working-set
# read): it runs some of PowerShell's code for the first time, which the import would otherwise pay for here and not there
# (about 15-25 ms on the IL-only pwsh, measured in 10 interleaved pairs).
$credential = New-BenchCredential
$common = @{ EndpointUrl = 'http://127.0.0.1:1'; Region = 'us-east-1'; Credential = $credential }
$workingSetBefore = [Environment]::WorkingSet
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importMs = $sw.Elapsed.TotalMilliseconds
Write-SessionResult ([ordered]@{ importMs = $importMs })
