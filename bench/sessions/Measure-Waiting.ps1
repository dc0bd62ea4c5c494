# Executions of known length started with -Wait: how many requests the wait made (the endpoint's own
# counters), how late it noticed the end (its return minus the execution's stopDate, same clock), and
# how much CPU this process burnt while waiting (it should be close to nothing): for the whole call, and
# for the wait alone (a sampler reads this process's CPU time four times a second; the window runs from
# WaitWindowStart seconds after the call began, when the start is long done, to the call's return).
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$QuickStateMachineArn,
    # "seconds=arn" pairs, comma-separated: the Wait length each machine was written with.
    [Parameter(Mandatory)][string]$Machines,
    [int]$Runs = 3,
    # 0: the module's default polling interval.
    [double]$PollingInterval = 0,
    [int]$MaxSettleSeconds = 30,
    # A machine of about a second, waited on WarmUpWaits times before measuring.
    [Parameter(Mandatory)][string]$WarmUpStateMachineArn,
    [int]$WarmUpWaits = 2,
    [double]$WaitWindowStart = 2,
    # Then waits on this machine, polling every second, so the runtime's staged recompilation of the polling path
    # (tiered compilation with dynamic PGO: about 60 polls) is over before anything is measured. 0: a young session.
    [string]$SteadyWarmUpStateMachineArn,
    [int]$SteadyWarmUpWaits = 0
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SessionCommon.ps1')
$credential = New-BenchCredential
$common = @{ EndpointUrl = $EndpointUrl; Region = $Region; Credential = $credential }
if ($PollingInterval -gt 0) { $common.PollingInterval = $PollingInterval }
Import-Module $ModulePath

function Get-RequestCount {
    $counters = Invoke-RestMethod -Uri "$EndpointUrl/_local/counters" -NoProxy
    if ($counters.PSObject.Properties['counters']) { $counters = $counters.counters }
    $total = 0; $describe = 0
    foreach ($p in $counters.PSObject.Properties) {
        if ($p.Value -is [ValueType]) { $total += $p.Value; if ($p.Name -eq 'DescribeExecution') { $describe = $p.Value } }
    }
    @{ Total = $total; Describe = $describe }
}

Add-Type -Path (Join-Path $PSScriptRoot 'CpuSampler.cs')
# Started before the warm-ups, so the sampler's own code is long recompiled when the measured windows come.
$sampler = [BenchSessions.CpuSampler]::new(250)

# Warm-up, not measured: JIT of the start, poll, delay and progress paths is not waiting. The .NET runtime
# recompiles a method at full optimisation in the background once it has run 30 times, so the warm-up
# polls fast (about 50 polls per wait): otherwise a 1 s polling loop would reach that count, and pay the
# recompilation, in the middle of a measured wait. The session then settles below and runs are repeated.
$null = Start-UeStepFunction -StateMachineArn $QuickStateMachineArn -Wait -PollingInterval 1 -EndpointUrl $EndpointUrl -Region $Region -Credential $credential
foreach ($i in 1..$WarmUpWaits) {
    $null = Start-UeStepFunction -StateMachineArn $WarmUpStateMachineArn -Wait -PollingInterval 0.02 -EndpointUrl $EndpointUrl -Region $Region -Credential $credential
}
for ($i = 0; $i -lt $SteadyWarmUpWaits; $i++) {
    $null = Start-UeStepFunction -StateMachineArn $SteadyWarmUpStateMachineArn -Wait -PollingInterval 1 -EndpointUrl $EndpointUrl -Region $Region -Credential $credential
}

$me = Get-Process -Id $PID
function Measure-IdleCpuMs {
    param([int]$Milliseconds)
    $me.Refresh(); $before = $me.TotalProcessorTime
    Start-Sleep -Milliseconds $Milliseconds
    $me.Refresh(); ($me.TotalProcessorTime - $before).TotalMilliseconds
}
# A fresh pwsh keeps compiling and initialising in the background for several seconds (hundreds of ms of
# CPU per second at first); wait until it is quiet, so that what is measured below is the waiting.
$settle = [Diagnostics.Stopwatch]::StartNew()
$quietSeconds = 0
while ($settle.Elapsed.TotalSeconds -lt $MaxSettleSeconds -and $quietSeconds -lt 2) {
    if ((Measure-IdleCpuMs 1000) -le 10) { $quietSeconds++ } else { $quietSeconds = 0 }
}
$settleSeconds = $settle.Elapsed.TotalSeconds
$measurements = foreach ($pair in $Machines -split ',') {
    $seconds, $arn = $pair -split '=', 2
    # This session's own idle CPU, for comparison: what pwsh burns doing nothing for as long, sampled the same way.
    $idleFrom = $sampler.Now
    Start-Sleep -Milliseconds 3000
    $idleCpuMsPerSecond = $sampler.CpuMsPerSecond($idleFrom + 0.5, $sampler.Now)
    foreach ($run in 1..$Runs) {
        $before = Get-RequestCount
        $me.Refresh(); $cpuBefore = $me.TotalProcessorTime
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $callFrom = $sampler.Now
        $out = Start-UeStepFunction -StateMachineArn $arn -Wait @common
        $returned = [DateTimeOffset]::UtcNow
        $wall = $sw.Elapsed.TotalSeconds
        $me.Refresh(); $cpuMs = ($me.TotalProcessorTime - $cpuBefore).TotalMilliseconds
        $waitCpuMsPerSecond = $sampler.CpuMsPerSecond($callFrom + $WaitWindowStart, $callFrom + $wall)
        $after = Get-RequestCount
        $result = $out.result
        if ($result.Status -ne 'SUCCEEDED' -or -not $result.StopDate) { throw "Wait run for the $seconds s machine ended $($result.Status) (stopDate $($result.StopDate))" }
        $stop = [DateTimeOffset]$result.StopDate
        [ordered]@{
            executionSeconds   = [double]$seconds
            run                = $run
            wallSeconds        = $wall
            actualRunSeconds   = ($stop - [DateTimeOffset]$result.StartDate).TotalSeconds
            detectionDelayMs   = ($returned - $stop).TotalMilliseconds
            requests           = $after.Total - $before.Total
            describeRequests   = $after.Describe - $before.Describe
            cpuMs              = $cpuMs
            waitCpuMsPerSecond = $waitCpuMsPerSecond
            idleCpuMsPerSecond = $idleCpuMsPerSecond
        }
    }
}
$sampler.Dispose()
Write-SessionResult ([ordered]@{ pollingInterval = $PollingInterval; settleSeconds = $settleSeconds; runs = @($measurements) })
