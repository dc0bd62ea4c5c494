#!/usr/bin/env pwsh
<#
.SYNOPSIS
The soak: one PowerShell session driving executions the way an unattended runbook does, for many minutes: on a
healthy endpoint, then calling as a role whose sessions last seconds, then on an endpoint that keeps failing requests
at random. Writes docs/SOAK.md and docs/soak.json (with
-Quick: artifacts/soak/ instead, so a smoke run never replaces the committed report).

.DESCRIPTION
Each phase runs in a fresh `pwsh -NoProfile` (bench/sessions/Invoke-SoakSession.ps1): rounds of 40 records piped into
`Start-UeStepFunction -Wait -ThrottleLimit 8`, every tenth execution failing on purpose. After each round the endpoint's
own list of executions (read with the benchmark's raw client, not the module) is set against what the module wrote
(bench/SoakJudge.psm1): no execution started twice or without being reported, every record answered once, every answer
true; on the healthy endpoint, no start may fail at all. Memory is sampled after a full collection every 25 rounds.

In the role phase every call goes through STS AssumeRole at the same endpoint, for a role whose sessions the endpoint
ends after -RoleSessionSeconds: the module must renew each session once, before it ends, while calls are in flight, and
no call may fail. The endpoint's AssumeRole count is checked against one per session.

In the faults phase a thread keeps one fault pending on the endpoint at all times (a throttle, an HTTP 500 or 503, a
connection reset before or after the request took effect, or a 1.5 s delay) for the next StartExecution or
DescribeExecution. The same promises must hold; a start the SDK's retries could not save is answered with an error,
and where its outcome was unknown the error names the execution, which must then not exist.

Exits 1 when any promise was broken.

.EXAMPLE
dotnet pwsh ./build.ps1 Soak
dotnet pwsh ./build.ps1 Soak -Quick
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',
    [double]$SteadyMinutes = 12,
    [double]$FaultMinutes = 8,
    [double]$RoleMinutes = 4,
    # The role's session lifetime in the third phase: short, so that the session is renewed many times while calls run.
    [int]$RoleSessionSeconds = 20,
    [switch]$Quick
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/LocalEndpoint.psm1') -Force
if ($Quick) { $SteadyMinutes = 0.3; $FaultMinutes = 0.3; $RoleMinutes = 0.3; $RoleSessionSeconds = 6 }

$region = 'us-east-1'
$machine = "arn:aws:states:${region}:123456789012:stateMachine:BenchSoak"
$floorDll = Join-Path $PSScriptRoot "RawFloor/bin/$Configuration/net10.0/RawFloor.dll"
if (-not (Test-Path $floorDll)) { throw "The benchmark's raw client is not built ($floorDll). Run ./build.ps1 Build first." }
$outDir = if ($Quick) { Join-Path $RepoRoot 'artifacts/soak' } else { Join-Path $RepoRoot 'docs' }
New-Item -ItemType Directory -Force $outDir | Out-Null

# The local endpoint's default principal, from the environment only.
$sessionEnv = @{ AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
foreach ($name in 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy') {
    Remove-Item "Env:$name" -ErrorAction Ignore
}

# The default user, and a role whose sessions last $RoleSessionSeconds (the endpoint allows lifetimes below STS's 900 s for tests).
$roleArn = 'arn:aws:iam::123456789012:role/SoakRunner'
$identities = Join-Path ([IO.Path]::GetTempPath()) "soak-identities-$PID.json"
@{ defaultUser = $true; roles = @(@{ roleArn = $roleArn; actions = @('states:*'); durationSeconds = $RoleSessionSeconds }) } |
    ConvertTo-Json -Depth 4 | Set-Content -Path $identities -Encoding utf8NoBOM
# --time-scale 100: the machine's 2 s wait takes 20 ms, so a round is the module's work and the endpoint's, not sleeping.
# Session lifetimes are wall-clock time, not scaled.
$endpoint = Start-LocalEndpoint -Configuration $Configuration -Arguments @('--definitions', (Join-Path $PSScriptRoot 'definitions'), '--time-scale', '100', '--config', $identities)
$machineDescription = Get-MachineDescription
$phases = [ordered]@{}
$injected = @()
try {
    $sessionParameters = @{
        ModulePath = Join-Path $RepoRoot 'AwsStepFunctions.psd1'; FloorAssembly = $floorDll; EndpointUrl = $endpoint.Url
        Region = $region; StateMachineArn = $machine
    }
    $script = Join-Path $PSScriptRoot 'sessions/Invoke-SoakSession.ps1'
    Write-Host "==> Soak: healthy endpoint, $SteadyMinutes min"
    $phases.steady = Invoke-BenchSession -Script $script -Environment $sessionEnv -TimeoutSeconds ([int]($SteadyMinutes * 60 + 300)) `
        -Parameters ($sessionParameters + @{ Seconds = $SteadyMinutes * 60; ExpectNoFailures = $true })

    Write-Host "==> Soak: calling as a role whose sessions last $RoleSessionSeconds s, $RoleMinutes min"
    Invoke-RestMethod -Method Post -Uri "$($endpoint.Url)/_local/counters/reset" -NoProxy | Out-Null
    $phases.role = Invoke-BenchSession -Script $script -Environment $sessionEnv -TimeoutSeconds ([int]($RoleMinutes * 60 + 300)) `
        -Parameters ($sessionParameters + @{ Seconds = $RoleMinutes * 60; ExpectNoFailures = $true; RoleArn = $roleArn })
    $assumed = [int](Get-EndpointCounters -EndpointUrl $endpoint.Url).AssumeRole
    # One AssumeRole per session: the module renews a session a quarter of its lifetime before it ends, so a phase of S
    # seconds needs about S / (0.75 x lifetime) of them, plus the first. More would be a renewal per call.
    $expected = [math]::Ceiling($phases.role.seconds / (0.75 * $RoleSessionSeconds)) + 1
    $phases.role | Add-Member -NotePropertyName assumeRoleCalls -NotePropertyValue $assumed
    $phases.role | Add-Member -NotePropertyName assumeRoleExpectedAtMost -NotePropertyValue ($expected + 1)
    if ($assumed -lt 1 -or $assumed -gt $expected + 1) {
        $phases.role.problems = @($phases.role.problems) + "AssumeRole was called $assumed times in $($phases.role.seconds) s with sessions of $RoleSessionSeconds s (expected 1 to $($expected + 1))"
    }

    Write-Host "==> Soak: an endpoint failing requests at random, $FaultMinutes min"
    $injector = Start-ThreadJob -ArgumentList $endpoint.Url -ScriptBlock {
        param($url)
        $kinds = 'throttle', 'http500', 'http503', 'reset', 'drop-after-processing', 'delay'
        # Starts twice as often as polls: a start is where a repeat could run an execution twice.
        $operations = 'StartExecution', 'StartExecution', 'DescribeExecution'
        $random = [Random]::new(20261203)
        while ($true) {
            $pending = Invoke-RestMethod -Uri "$url/_local/faults" -NoProxy
            if (@($pending.faults).Count -eq 0) {
                $fault = @{ operation = $operations[$random.Next($operations.Count)]; kind = $kinds[$random.Next($kinds.Count)]; count = 1; delayMs = 1500 }
                Invoke-RestMethod -Method Post -Uri "$url/_local/faults" -NoProxy -ContentType 'application/json' -Body ($fault | ConvertTo-Json -Compress) | Out-Null
                "$($fault.operation) $($fault.kind)"
            }
            Start-Sleep -Milliseconds (100 + $random.Next(400))
        }
    }
    try {
        $phases.faults = Invoke-BenchSession -Script $script -Environment $sessionEnv -TimeoutSeconds ([int]($FaultMinutes * 60 + 300)) `
            -Parameters ($sessionParameters + @{ Seconds = $FaultMinutes * 60 })
    } finally {
        $injector | Stop-Job
        $injected = @($injector | Receive-Job -ErrorAction SilentlyContinue)
        $injector | Remove-Job -Force
        Invoke-RestMethod -Method Delete -Uri "$($endpoint.Url)/_local/faults" -NoProxy | Out-Null
    }
} finally {
    $endpoint.Stop()
    Remove-Item $identities -ErrorAction Ignore
}

# Memory: the second half of the healthy phase, after a full collection, so warm-up (tiered compilation, first-use
# caches) is left out and what remains is growth that would go on for hours.
function Get-SecondHalfGrowth($samples) {
    $list = @($samples)
    if ($list.Count -lt 5) { return $null }
    $half = $list[[int][math]::Floor(($list.Count - 1) / 2)]
    $last = $list[-1]
    [ordered]@{ fromRound = $half.round; toRound = $last.round; fromBytes = $half.rssBytes; toBytes = $last.rssBytes
        percent = [math]::Round(100 * ($last.rssBytes - $half.rssBytes) / $half.rssBytes, 2) }
}
$growth = Get-SecondHalfGrowth $phases.steady.samples
$faultCounts = [ordered]@{}
foreach ($line in $injected) { $faultCounts[$line] = 1 + $(if ($faultCounts.Contains($line)) { $faultCounts[$line] } else { 0 }) }
$broken = @($phases.Values | ForEach-Object { @($_.problems) }).Count

$result = [ordered]@{
    generatedAt = (Get-Date).ToString('o'); quick = [bool]$Quick; machine = $machineDescription
    endpoint = "--definitions bench/definitions --time-scale 100; state machine BenchSoak"
    roleSessionSeconds = $RoleSessionSeconds
    phases = $phases; memoryGrowthSecondHalf = $growth; faultsInjected = $faultCounts; promisesBroken = $broken
}
$result | ConvertTo-Json -Depth 8 | Set-Content -Path (Join-Path $outDir 'soak.json') -Encoding utf8NoBOM

# The report is made from the JSON as written, so that it can be made again from a committed soak.json.
Import-Module (Join-Path $PSScriptRoot 'SoakReport.psm1') -Force
ConvertTo-SoakMarkdown (Get-Content -Raw (Join-Path $outDir 'soak.json') | ConvertFrom-Json) | Set-Content -Path (Join-Path $outDir 'SOAK.md') -Encoding utf8NoBOM

Write-Host "Soak: $broken promises broken; report in $outDir"
if ($broken) { exit 1 }
