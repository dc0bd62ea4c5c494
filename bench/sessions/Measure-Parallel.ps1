# Many executions started from one session, four ways: the module's own pipeline with -ThrottleLimit
# (one cmdlet instance keeping ThrottleLimit starts in flight: the module's parallel capacity);
# ForEach-Object -Parallel with ThrottleLimit workers that each start a share in a loop; the same with
# one script block per execution (what a runbook often writes; ForEach-Object's per-item cost included);
# and the pipeline one after another. Each round also runs the raw floor with as many concurrent
# requests as the ThrottleLimit: the endpoint's own capacity, measured from this same process, exposed
# to the same background noise. Every runspace imports the module once and reuses it.
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$FloorAssembly,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [int]$Count = 10000,
    [int]$Rounds = 4,
    [int]$ThrottleLimit = 8,
    [int]$PipelineCount = 1000,
    # Unmeasured starts through the throttled pipeline and the floor first: the runtime recompiles hot code at full
    # optimisation only after it has run a while, and the target is the steady rate of a long batch.
    [int]$WarmUp = 2000,
    # Then both again against an endpoint that answers StartExecution after LatencyMs, as a real service does
    # (the endpoint's fault injection delays each request): there the endpoint, not the CPU, sets the pace.
    [int]$LatencyMs = 20,
    [int]$LatencyCount = 800,
    # Rounds and the pipeline shrink to fit this many seconds if the probe shows a slow module.
    [int]$BudgetSeconds = 150
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SessionCommon.ps1')
$credential = New-BenchCredential
Import-Module $ModulePath
Add-Type -Path $FloorAssembly
$perRound = [int][Math]::Ceiling($Count / $Rounds)

function Start-PerItem {
    param([int]$N)
    1..$N | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        if (-not (Get-Module AwsStepFunctions)) { Import-Module $using:ModulePath }
        $out = Start-UeStepFunction -StateMachineArn $using:StateMachineArn -EndpointUrl $using:EndpointUrl -Region $using:Region -Credential $using:credential
        $out.result.ExecutionArn
    }
}

function Start-InWorkers {
    param([int]$N)
    $shares = for ($w = 0; $w -lt $ThrottleLimit; $w++) { [int][Math]::Floor($N / $ThrottleLimit) + [int]($w -lt $N % $ThrottleLimit) }
    $shares | Where-Object { $_ -gt 0 } | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
        Import-Module $using:ModulePath
        $common = @{ StateMachineArn = $using:StateMachineArn; EndpointUrl = $using:EndpointUrl; Region = $using:Region; Credential = $using:credential }
        for ($i = 0; $i -lt $_; $i++) { (Start-UeStepFunction @common).result.ExecutionArn }
    }
}

function Start-Throttled {
    param([int]$N)
    # The input is built before the clock starts: piping an array costs the cmdlet's binding, nothing upstream.
    $arns = [string[]][Linq.Enumerable]::Repeat($StateMachineArn, $N)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = @($arns | Start-UeStepFunction -ThrottleLimit $ThrottleLimit -EndpointUrl $EndpointUrl -Region $Region -Credential $credential)
    $seconds = $sw.Elapsed.TotalSeconds
    [pscustomobject]@{ Seconds = $seconds; Arns = @($out.result.ExecutionArn) }
}

function Assert-Started {
    param($Arns, [int]$Expected, [string]$What)
    $started = @($Arns | Where-Object { $_ } | Sort-Object -Unique).Count
    if ($started -ne $Expected) { throw "${What}: $started of $Expected executions started" }
    $started
}

# Unmeasured probe: JIT, and the rate that sizes the rounds to the budget.
$probeCount = [Math]::Min(100, $perRound)
$null = Start-PerItem ([Math]::Max(1, [int]($probeCount / 2)))
$null = Start-InWorkers $probeCount
$floor = [RawFloor.SfnRawClient]::new([uri]$EndpointUrl, $Region, $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN)
$null = Start-Throttled $WarmUp
$null = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, $WarmUp, $ThrottleLimit, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
$probe = Start-Throttled $probeCount
$probeRate = $probeCount / $probe.Seconds
# The throttled pipeline gets ~35% of the budget, the workers (half its count) ~30%, one script block per
# item (a tenth of the count, far slower) ~20%, the one-at-a-time pipeline the rest.
$fit = [int][Math]::Floor($probeRate * $BudgetSeconds * 0.35 / $Rounds)
if ($fit -lt $perRound) { $perRound = [Math]::Max(10, $fit) }
$workersRound = [Math]::Max(10, [int]($perRound / 2))
$perItemRound = [Math]::Max(10, [int]($perRound / 10))
$PipelineCount = [Math]::Max(10, [Math]::Min($PipelineCount, [int]($probeRate / $ThrottleLimit * $BudgetSeconds * 0.15)))

$throttled = [Collections.Generic.List[object]]::new()
$parallel = [Collections.Generic.List[object]]::new()
$perItem = [Collections.Generic.List[object]]::new()
$floorRounds = [Collections.Generic.List[object]]::new()
foreach ($round in 1..$Rounds) {
    $t = Start-Throttled $perRound
    $started = Assert-Started $t.Arns $perRound "Throttled pipeline round $round"
    $throttled.Add([ordered]@{ round = $round; executions = $started; seconds = $t.Seconds; executionsPerSecond = $started / $t.Seconds })

    $b = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, $perRound, $ThrottleLimit, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $floorRounds.Add([ordered]@{ round = $round; executions = $b.Count; seconds = $b.ElapsedMs / 1000; executionsPerSecond = $b.RequestsPerSecond; medianMs = $b.MedianMs })

    $sw = [Diagnostics.Stopwatch]::StartNew()
    $started = Assert-Started (Start-InWorkers $workersRound) $workersRound "Workers round $round"
    $elapsed = $sw.Elapsed.TotalSeconds
    $parallel.Add([ordered]@{ round = $round; executions = $started; seconds = $elapsed; executionsPerSecond = $started / $elapsed })

    $sw.Restart()
    $started = Assert-Started (Start-PerItem $perItemRound) $perItemRound "Per-item round $round"
    $elapsed = $sw.Elapsed.TotalSeconds
    $perItem.Add([ordered]@{ round = $round; executions = $started; seconds = $elapsed; executionsPerSecond = $started / $elapsed })
}

$sw = [Diagnostics.Stopwatch]::StartNew()
$piped = @(1..$PipelineCount | ForEach-Object { $StateMachineArn } |
    Start-UeStepFunction -EndpointUrl $EndpointUrl -Region $Region -Credential $credential)
$pipelineSeconds = $sw.Elapsed.TotalSeconds
if ($piped.Count -ne $PipelineCount) { throw "Pipeline: $($piped.Count) of $PipelineCount executions started" }

function Add-EndpointLatency {
    param([int]$Count)
    $body = @{ operation = 'StartExecution'; kind = 'delay'; count = $Count; delayMs = $LatencyMs } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri "$EndpointUrl/_local/faults" -Body $body -ContentType 'application/json' -NoProxy | Out-Null
}
$latency = [ordered]@{ latencyMs = $LatencyMs; executions = $LatencyCount }
if ($LatencyCount -gt 0) {
    Add-EndpointLatency $LatencyCount
    $t = Start-Throttled $LatencyCount
    $null = Assert-Started $t.Arns $LatencyCount 'Throttled pipeline with endpoint latency'
    $latency.moduleExecutionsPerSecond = $LatencyCount / $t.Seconds
    Add-EndpointLatency $LatencyCount
    $b = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, $LatencyCount, $ThrottleLimit, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $latency.floorExecutionsPerSecond = $b.RequestsPerSecond
    # What the endpoint allows at this concurrency: ThrottleLimit requests per LatencyMs.
    $latency.ceilingExecutionsPerSecond = $ThrottleLimit * 1000.0 / $LatencyMs
}
$floor.Dispose()
Write-SessionResult ([ordered]@{
    throttleLimit              = $ThrottleLimit
    probeExecutionsPerSecond   = $probeRate
    throttledRounds            = @($throttled)
    latency                    = $latency
    parallelRounds             = @($parallel)
    perItemRounds              = @($perItem)
    pipelineExecutions         = $PipelineCount
    pipelineExecutionsPerSecond = $PipelineCount / $pipelineSeconds
    floorRounds                = @($floorRounds)
})
