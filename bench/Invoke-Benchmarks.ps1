#!/usr/bin/env pwsh
<#
.SYNOPSIS
Runs the performance benchmark (issue 5) and the local endpoint's load benchmark (issue 2) against the
local endpoint on loopback, and writes docs/BENCHMARKS.md + docs/benchmarks.json (with -Quick:
artifacts/bench/ instead, so a smoke run never replaces the committed numbers).

.DESCRIPTION
Expects a built solution and module (build.ps1 Bench builds first). Each section runs in its own fresh
`pwsh -NoProfile` (the PowerShell tool's own executable, not `dotnet pwsh`), so no section inherits
another's warm caches. A section that fails is reported as failed, the others still run, and the script
exits 1 at the end.

.EXAMPLE
dotnet pwsh ./build.ps1 Bench -Quick
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',
    [switch]$Quick
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchReport.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/LocalEndpoint.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/ReadyToRun.psm1')

# Counts: the full run must stay under ~15 minutes, the quick one under ~90 seconds on 2 cores.
$plan = if ($Quick) {
    [ordered]@{ coldRuns = 1; coldWarmUp = $false; importRuns = 1; importWarmCalls = 5; warmRounds = 1; warmCalls = 50; warmUpCalls = 20; cliCalls = 2
        parallelCount = 100; parallelRounds = 1; parallelWarmUp = 50; parallelLatencyCount = 40; throttleLimit = 8; pipelineCount = 50
        waitMachines = @(1); waitRuns = 1; waitVariants = @(@{ interval = 1 }); waitWindowStart = 0.5; loadExecutions = 500; loadBatch = 250; loadConcurrency = 16
        warmBudgetSeconds = 20; parallelBudgetSeconds = 15; waitSettleMaxSeconds = 5; waitWarmUps = 1 }
} else {
    [ordered]@{ coldRuns = 9; coldWarmUp = $true; importRuns = 9; importWarmCalls = 21; warmRounds = 5; warmCalls = 1000; warmUpCalls = 2000; cliCalls = 20
        parallelCount = 10000; parallelRounds = 4; parallelWarmUp = 2000; parallelLatencyCount = 800; throttleLimit = 8; pipelineCount = 1000
        waitMachines = @(6, 20); waitRuns = 2; waitWindowStart = 2
        # Each variant first waits steadyWarmUps times on the 20 s machine, polling every second: the runtime keeps
        # recompiling the polling path (tiered compilation with dynamic PGO, a stage per 30 calls) for about its
        # first 60 polls. The last variant is a diagnostic without that warm-up: the first minute of a young session.
        waitVariants = @(@{ interval = 0; steadyWarmUps = 3 }, @{ interval = 1; steadyWarmUps = 3 }, @{ interval = 1; steadyWarmUps = 0; young = $true }); loadExecutions = 10000; loadBatch = 2000; loadConcurrency = 16
        # A slow module must not push the run past its limit: the warm and parallel sections shrink their
        # counts to fit these budgets (the report then states the counts actually used).
        warmBudgetSeconds = 240; parallelBudgetSeconds = 150; waitSettleMaxSeconds = 30; waitWarmUps = 2 }
}

$region = 'us-east-1'
$modulePath = Join-Path $RepoRoot 'AwsStepFunctions.psd1'
$definitions = Join-Path $PSScriptRoot 'definitions'
$floorDll = Join-Path $PSScriptRoot "RawFloor/bin/$Configuration/net10.0/RawFloor.dll"
$loadDll = Join-Path $PSScriptRoot "EndpointLoad/bin/$Configuration/net10.0/EndpointLoad.dll"
$yardstickDll = Join-Path $PSScriptRoot "BinaryYardstick/bin/$Configuration/netstandard2.0/BenchBinaryYardstick.dll"
$sessions = Join-Path $PSScriptRoot 'sessions'
if (-not (Test-Path $floorDll) -or -not (Test-Path $loadDll)) {
    & dotnet build (Join-Path $PSScriptRoot 'EndpointLoad/EndpointLoad.csproj') -c $Configuration -nologo -v q
    if ($LASTEXITCODE) { throw "Building the benchmark's own projects failed ($LASTEXITCODE)" }
}
if (-not (Test-Path $yardstickDll)) {
    & dotnet build (Join-Path $PSScriptRoot 'BinaryYardstick/BinaryYardstick.csproj') -c $Configuration -nologo -v q
    if ($LASTEXITCODE) { throw "Building the benchmark's binary yardstick module failed ($LASTEXITCODE)" }
}

# The local endpoint's default principal. Children read it from the environment, never from arguments.
$benchEnv = [ordered]@{
    AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    # The AWS CLI exactly as a bare install: no config or credentials files of this machine.
    AWS_CONFIG_FILE = '/dev/null'; AWS_SHARED_CREDENTIALS_FILE = '/dev/null'
}
# AWS_PAGER must be set *empty* (no pager); .NET deletes a variable set to '', so it goes per process.
$cliEnv = @{ AWS_PAGER = '' }
# Unset: a session token or profile would change the identity, a proxy would put a third process on the
# loopback path (names are case-sensitive here, so both spellings). The module's own switches are measured as set per run.
$clearedEnv = 'AWSSTEPFUNCTIONS_DISABLE_PREWARM', 'AWSSTEPFUNCTIONS_DISABLE_READYTORUN', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy'
function Set-EnvValue {
    # PowerShell hands $null to a .NET string parameter as '', which sets (not unsets) a variable.
    param([string]$Name, $Value)
    if ($null -eq $Value) { Remove-Item "Env:$Name" -ErrorAction Ignore } else { Set-Item "Env:$Name" $Value }
}
$savedEnv = [Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
foreach ($k in @($benchEnv.Keys) + $clearedEnv) { $savedEnv[$k] = [Environment]::GetEnvironmentVariable($k) }
foreach ($k in $benchEnv.Keys) { Set-EnvValue $k $benchEnv[$k] }
foreach ($k in $clearedEnv) { Set-EnvValue $k $null }

$results = [ordered]@{
    schema      = 1
    generatedAt = [DateTimeOffset]::UtcNow.ToString('o')
    quick       = [bool]$Quick
    plan        = $plan
    machine     = Get-MachineDescription
    commands    = [ordered]@{}
    sections    = [ordered]@{}
    failures    = [Collections.Generic.List[object]]::new()
}
$clock = [Diagnostics.Stopwatch]::StartNew()

function Invoke-Section {
    param([string]$Name, [scriptblock]$Body)
    Write-Host "==> bench: $Name ($([int]$clock.Elapsed.TotalSeconds) s)"
    try { $results.sections[$Name] = & $Body }
    catch {
        Write-Host "    FAILED: $($_.Exception.Message)" -ForegroundColor Red
        $results.failures.Add([ordered]@{ section = $Name; error = $_.Exception.Message })
    }
}

$floorCheck = & dotnet $floorDll self-test
if ($LASTEXITCODE) { throw "The floor's SigV4 signer failed its self-test: $floorCheck" }
$results.machine.floorSignerCheck = "$floorCheck"

$pwsh = Get-PwshExecutable
# PowerShell as its own packages ship it, precompiled, beside the .NET tool's IL-only pwsh (see Get-PrecompiledPowerShell): the
# cold start and the import are measured on both. A smoke run compiles only pwsh.dll, to keep the path working.
Write-Host "==> bench: precompiled pwsh ($([int]$clock.Elapsed.TotalSeconds) s)"
$precompiledPwsh = Get-PrecompiledPowerShell -Only $(if ($Quick) { @('pwsh.dll') })
# A generous start-up bound: in CI the quick run shares two cores with another test file, and an endpoint there once took
# longer than the default 30 s to listen. The benchmark is not a timed test.
$endpointStartSeconds = 120
$endpoint = Start-LocalEndpoint -Configuration $Configuration -TimeoutSeconds $endpointStartSeconds -Arguments @('--definitions', $definitions, '--time-scale', '1')
try {
    $url = $endpoint.Url
    # The machines' ARNs as the endpoint reports them (one AWS CLI call, which also proves the CLI works).
    $listed = & /usr/bin/aws stepfunctions list-state-machines --endpoint-url $url --region $region --output json | ConvertFrom-Json
    if ($LASTEXITCODE) { throw "aws stepfunctions list-state-machines failed ($LASTEXITCODE)" }
    $arnOf = @{}
    foreach ($sm in $listed.stateMachines) { $arnOf[$sm.name] = $sm.stateMachineArn }
    foreach ($name in @('BenchQuick', 'BenchWait1') + ($plan.waitMachines | ForEach-Object { "BenchWait$_" })) {
        if (-not $arnOf[$name]) { throw "The endpoint did not load $name from $definitions (it has: $($arnOf.Keys -join ', '))" }
    }
    $quickArn = $arnOf['BenchQuick']
    $cli = @('stepfunctions', 'start-execution', '--endpoint-url', $url, '--region', $region, '--state-machine-arn', $quickArn, '--input', '{}', '--output', 'json')
    # Keys from the environment, as the AWS CLI takes them.
    $moduleOneShot = "Import-Module '$modulePath'; `$null = Start-UeStepFunction -StateMachineArn '$quickArn' -EndpointUrl '$url' -Region '$region' -ErrorAction Stop"
    # The Universal Agent's way: the task script with the fields as parameters (keys from the environment), JSON on stdout.
    $taskScript = Join-Path $RepoRoot 'UeStepFunctionTask.ps1'
    $taskArguments = @('-NoProfile', '-NonInteractive', '-File', $taskScript, '-StateMachineArn', $quickArn, '-EndpointUrl', $url, '-Region', $region)
    $results.commands = [ordered]@{
        pwshNothing  = "$pwsh -NoProfile -NonInteractive -Command 'exit 0'"
        pwshModule   = "$pwsh -NoProfile -NonInteractive -Command `"$moduleOneShot`""
        pwshTask     = "$pwsh $($taskArguments -join ' ')"
        pwshPrecompiled = $(if ($precompiledPwsh -eq $pwsh) { "$pwsh (the same commands: the pwsh running the benchmark is precompiled already)" }
            else { "$precompiledPwsh (the same commands; this pwsh's own files, IL assemblies compiled by crossgen2 $(Get-PinnedVersion "Microsoft.NETCore.App.Crossgen2.$(Get-HostRid)")$(if ($Quick) { ': pwsh.dll only, a smoke run' }))" })
        awsCli       = "/usr/bin/aws $($cli -join ' ')   (AWS_PAGER='', AWS_CONFIG_FILE=/dev/null, AWS_SHARED_CREDENTIALS_FILE=/dev/null, keys in the environment)"
        endpoint     = "dotnet $(Get-LocalEndpointDll -Configuration $Configuration) --port 0 --definitions bench/definitions --time-scale 1"
    }
    # Paths inside the checkout are shown relative to it, so the report does not depend on where it ran.
    foreach ($k in @($results.commands.Keys)) { $results.commands[$k] = $results.commands[$k].Replace("$RepoRoot/", './') }

    Invoke-Section 'cold' {
        $contenders = [ordered]@{
            pwshNothing = @{ FilePath = $pwsh; ArgumentList = @('-NoProfile', '-NonInteractive', '-Command', 'exit 0') }
            pwshModule  = @{ FilePath = $pwsh; ArgumentList = @('-NoProfile', '-NonInteractive', '-Command', $moduleOneShot) }
            pwshTask    = @{ FilePath = $pwsh; ArgumentList = $taskArguments }
            # Diagnostics: the same two with the import-time warm-up switched off, to show what it saves a cold start.
            pwshModuleNoPrewarm = @{ FilePath = $pwsh; ArgumentList = @('-NoProfile', '-NonInteractive', '-Command', $moduleOneShot); Environment = @{ AWSSTEPFUNCTIONS_DISABLE_PREWARM = '1' } }
            pwshTaskNoPrewarm   = @{ FilePath = $pwsh; ArgumentList = $taskArguments; Environment = @{ AWSSTEPFUNCTIONS_DISABLE_PREWARM = '1' } }
            awsCli      = @{ FilePath = '/usr/bin/aws'; ArgumentList = $cli; Environment = $cliEnv }
            # The same three on the precompiled pwsh.
            pwshNothingPrecompiled = @{ FilePath = $precompiledPwsh; ArgumentList = @('-NoProfile', '-NonInteractive', '-Command', 'exit 0') }
            pwshModulePrecompiled  = @{ FilePath = $precompiledPwsh; ArgumentList = @('-NoProfile', '-NonInteractive', '-Command', $moduleOneShot) }
            pwshTaskPrecompiled    = @{ FilePath = $precompiledPwsh; ArgumentList = $taskArguments }
        }
        $times = @{}
        foreach ($k in $contenders.Keys) { $times[$k] = [Collections.Generic.List[double]]::new() }
        # One unmeasured run of each first (full run only): the disk cache is warm for all three, as on a busy agent.
        foreach ($run in $(if ($plan.coldWarmUp) { 0 } else { 1 })..$plan.coldRuns) {
            foreach ($k in $contenders.Keys) {
                $p = $contenders[$k]
                $r = Invoke-TimedProcess @p
                if ($r.ExitCode -ne 0) { throw "cold ${k} exited $($r.ExitCode): $($r.StdErr.Trim())" }
                if ($run -gt 0) { $times[$k].Add($r.WallMs) }
            }
        }
        $out = [ordered]@{ runs = $plan.coldRuns }
        foreach ($k in $contenders.Keys) { $out["${k}MedianMs"] = Get-Median $times[$k]; $out["${k}AllMs"] = @($times[$k]) }
        $out.moduleOverheadMs = $out.pwshModuleMedianMs - $out.pwshNothingMedianMs
        $out.moduleOverheadPrecompiledMs = $out.pwshModulePrecompiledMedianMs - $out.pwshNothingPrecompiledMedianMs
        $out
    }

    Invoke-Section 'import' {
        # Every contender runs once per round, in the same order, so that the machine's drift (tens of milliseconds over
        # minutes on this VM) falls on all of them alike: blocks of runs one after another once showed it as a difference
        # between two layouts of the same module, and another time put a yardstick above the module it measures.
        $importScript = Join-Path $sessions 'Measure-ImportAndFirstCall.ps1'
        $firstImportScript = Join-Path $sessions 'Measure-FirstModuleImport.ps1'
        $moduleParameters = @{ ModulePath = $modulePath; EndpointUrl = $url; Region = $region; StateMachineArn = $quickArn; WarmCalls = $plan.importWarmCalls }
        # The yardsticks' modules, written here: a one-function script module (PowerShell's own one-time cost of a session's
        # first module import); a one-cmdlet binary module (bench/BinaryYardstick, netstandard2.0 IL like the cmdlet
        # assembly) listed under NestedModules as this module's assemblies are, the same assembly as the RootModule (a
        # diagnostic: PowerShell takes a different, shorter path), and the nested one with this module's format file (a
        # manifest's FormatsToProcess makes PowerShell rebuild the session's whole format database, its own built-in views
        # included: a cost of PowerShell's that any module with views of its own pays at import).
        $trivialDir = Join-Path ([IO.Path]::GetTempPath()) "bench-trivial-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Force $trivialDir | Out-Null
        try {
            Set-Content -Encoding utf8NoBOM (Join-Path $trivialDir 'BenchTrivial.psm1') 'function Get-BenchTrivial { 1 }'
            Set-Content -Encoding utf8NoBOM (Join-Path $trivialDir 'BenchTrivial.psd1') "@{ RootModule = 'BenchTrivial.psm1'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @('Get-BenchTrivial'); CmdletsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }"
            Copy-Item $yardstickDll $trivialDir
            Copy-Item (Join-Path (Split-Path $modulePath) 'AwsStepFunctions.format.ps1xml') $trivialDir
            $yardstickManifest = "ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; CmdletsToExport = @('Get-BenchYardstick'); FunctionsToExport = @(); VariablesToExport = @(); AliasesToExport = @()"
            Set-Content -Encoding utf8NoBOM (Join-Path $trivialDir 'BenchBinaryNested.psd1') "@{ NestedModules = @('BenchBinaryYardstick.dll'); $yardstickManifest }"
            Set-Content -Encoding utf8NoBOM (Join-Path $trivialDir 'BenchBinaryRoot.psd1') "@{ RootModule = 'BenchBinaryYardstick.dll'; $yardstickManifest }"
            Set-Content -Encoding utf8NoBOM (Join-Path $trivialDir 'BenchBinaryFormatted.psd1') "@{ NestedModules = @('BenchBinaryYardstick.dll'); FormatsToProcess = @('AwsStepFunctions.format.ps1xml'); $yardstickManifest }"
            $firstImportOf = { param($manifest) @{ ModulePath = (Join-Path $trivialDir $manifest) } }
            $contenders = [ordered]@{
                module                    = @{ Script = $importScript; Parameters = $moduleParameters }
                # Diagnostic: the module's ReadyToRun images switched off (IL and the JIT only, what Windows PowerShell and
                # other platforms run), to show what the precompiled images save on the first call.
                ilOnly                    = @{ Script = $importScript; Parameters = $moduleParameters; Environment = @{ AWSSTEPFUNCTIONS_DISABLE_READYTORUN = '1' } }
                # Diagnostic: the import-time warm-up switched off.
                noPrewarm                 = @{ Script = $importScript; Parameters = $moduleParameters; Environment = @{ AWSSTEPFUNCTIONS_DISABLE_PREWARM = '1' } }
                trivial                   = @{ Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchTrivial.psd1') }
                binary                    = @{ Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchBinaryNested.psd1') }
                binaryRoot                = @{ Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchBinaryRoot.psd1') }
                binaryFormatted           = @{ Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchBinaryFormatted.psd1') }
                # The raw floor's own first request in a fresh session, which pays .NET's first HttpClient and crypto use
                # just as the module does.
                floor                     = @{ Script = (Join-Path $sessions 'Measure-FloorFirstCall.ps1'); Parameters = @{
                    FloorAssembly = $floorDll; EndpointUrl = $url; Region = $region; StateMachineArn = $quickArn; WarmCalls = $plan.importWarmCalls } }
                precompiled               = @{ Pwsh = $precompiledPwsh; Script = $importScript; Parameters = $moduleParameters }
                precompiledTrivial        = @{ Pwsh = $precompiledPwsh; Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchTrivial.psd1') }
                precompiledBinary         = @{ Pwsh = $precompiledPwsh; Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchBinaryNested.psd1') }
                precompiledBinaryFormatted = @{ Pwsh = $precompiledPwsh; Script = $firstImportScript; Parameters = (& $firstImportOf 'BenchBinaryFormatted.psd1') }
            }
            $measured = @{}
            foreach ($name in $contenders.Keys) { $measured[$name] = [Collections.Generic.List[object]]::new() }
            foreach ($i in 1..$plan.importRuns) {
                foreach ($name in $contenders.Keys) {
                    $session = @{} + $contenders[$name]
                    $measured[$name].Add((Invoke-BenchSession @session))
                }
            }
        } finally { Remove-Item -Recurse -Force $trivialDir }
        $runs = $measured.module; $ilRuns = $measured.ilOnly; $noPrewarmRuns = $measured.noPrewarm; $floorRuns = $measured.floor
        $trivialRuns = $measured.trivial; $binaryRuns = $measured.binary; $binaryRootRuns = $measured.binaryRoot
        $binaryFormattedRuns = $measured.binaryFormatted; $precompiledRuns = $measured.precompiled
        $precompiledTrivialRuns = $measured.precompiledTrivial; $precompiledBinaryRuns = $measured.precompiledBinary
        $precompiledBinaryFormattedRuns = $measured.precompiledBinaryFormatted
        [ordered]@{
            runs                  = $plan.importRuns
            importMedianMs        = Get-Median ($runs.importMs)
            firstCallMedianMs     = Get-Median ($runs.firstCallMs)
            warmCallMedianMs      = Get-Median ($runs.warmMedianMs)
            firstToWarmRatio      = Get-Median ($runs | ForEach-Object { $_.firstCallMs / $_.warmMedianMs })
            workingSetBeforeImportBytes = Get-Median ($runs.workingSetBeforeImportBytes)
            workingSetAfterImportBytes  = Get-Median ($runs.workingSetAfterImportBytes)
            precompiledImportMedianMs    = Get-Median ($precompiledRuns.importMs)
            precompiledFirstCallMedianMs = Get-Median ($precompiledRuns.firstCallMs)
            precompiledWarmCallMedianMs  = Get-Median ($precompiledRuns.warmMedianMs)
            precompiledFirstToWarmRatio  = Get-Median ($precompiledRuns | ForEach-Object { $_.firstCallMs / $_.warmMedianMs })
            precompiledTrivialImportMedianMs = Get-Median ($precompiledTrivialRuns.importMs)
            ilOnlyFirstCallMedianMs = Get-Median ($ilRuns.firstCallMs)
            ilOnlyFirstToWarmRatio  = Get-Median ($ilRuns | ForEach-Object { $_.firstCallMs / $_.warmMedianMs })
            trivialImportMedianMs      = Get-Median ($trivialRuns.importMs)
            binaryImportMedianMs       = Get-Median ($binaryRuns.importMs)
            binaryRootImportMedianMs   = Get-Median ($binaryRootRuns.importMs)
            precompiledBinaryImportMedianMs = Get-Median ($precompiledBinaryRuns.importMs)
            binaryFormattedImportMedianMs   = Get-Median ($binaryFormattedRuns.importMs)
            precompiledBinaryFormattedImportMedianMs = Get-Median ($precompiledBinaryFormattedRuns.importMs)
            noPrewarmImportMedianMs    = Get-Median ($noPrewarmRuns.importMs)
            noPrewarmFirstCallMedianMs = Get-Median ($noPrewarmRuns.firstCallMs)
            noPrewarmFirstToWarmRatio  = Get-Median ($noPrewarmRuns | ForEach-Object { $_.firstCallMs / $_.warmMedianMs })
            floorFirstCallMedianMs  = Get-Median ($floorRuns.firstCallMs)
            floorWarmCallMedianMs   = Get-Median ($floorRuns.warmMedianMs)
            floorFirstToWarmRatio   = Get-Median ($floorRuns | ForEach-Object { $_.firstCallMs / $_.warmMedianMs })
            all                   = @($runs)
            precompiled           = @($precompiledRuns)
            ilOnly                = @($ilRuns)
            noPrewarm             = @($noPrewarmRuns)
            floor                 = @($floorRuns)
        }
    }

    Invoke-Section 'warm' {
        # Two cmdlet calls per iteration (start, get) plus the floor's two, which are far cheaper.
        $calls = $plan.warmCalls
        $warmCallMs = if ($results.sections['import']) { $results.sections['import'].warmCallMedianMs } else { 0 }
        if ($warmCallMs -gt 0) {
            $fit = [int][Math]::Floor($plan.warmBudgetSeconds * 1000 / ($plan.warmRounds * 2 * $warmCallMs) / 10) * 10
            if ($fit -lt $calls) {
                $calls = [Math]::Max(10, $fit)
                Write-Host "    a warm call takes $([Math]::Round($warmCallMs, 1)) ms: $calls calls per round instead of $($plan.warmCalls), to stay within $($plan.warmBudgetSeconds) s"
            }
        }
        $s = Invoke-BenchSession -Script (Join-Path $sessions 'Measure-WarmSession.ps1') -Parameters @{
            ModulePath = $modulePath; FloorAssembly = $floorDll; EndpointUrl = $url; Region = $region; StateMachineArn = $quickArn
            Rounds = $plan.warmRounds; CallsPerRound = $calls; SampleEvery = [Math]::Max(5, [int]($calls / 4)); WarmUpCalls = $plan.warmUpCalls }
        # The AWS CLI per call: each call is a whole process, as in any script that shells out to it.
        $cliStart = [Collections.Generic.List[double]]::new(); $cliDescribe = [Collections.Generic.List[double]]::new()
        foreach ($i in 1..$plan.cliCalls) {
            $r = Invoke-TimedProcess -FilePath '/usr/bin/aws' -ArgumentList $cli -Environment $cliEnv
            if ($r.ExitCode) { throw "aws start-execution exited $($r.ExitCode): $($r.StdErr.Trim())" }
            $cliStart.Add($r.WallMs)
            $arn = ($r.StdOut | ConvertFrom-Json).executionArn
            $r = Invoke-TimedProcess -FilePath '/usr/bin/aws' -ArgumentList @('stepfunctions', 'describe-execution', '--endpoint-url', $url, '--region', $region, '--execution-arn', $arn, '--output', 'json') -Environment $cliEnv
            if ($r.ExitCode) { throw "aws describe-execution exited $($r.ExitCode): $($r.StdErr.Trim())" }
            $cliDescribe.Add($r.WallMs)
        }
        $m = [ordered]@{
            callsPerRound             = $s.callsPerRound
            rounds                    = $s.rounds.Count
            startPerCallMs            = Get-Median ($s.rounds.startPerCallMs)
            getPerCallMs              = Get-Median ($s.rounds.getPerCallMs)
            floorStartPerCallMs       = Get-Median ($s.rounds.floorStartPerCallMs)
            floorDescribePerCallMs    = Get-Median ($s.rounds.floorDescribePerCallMs)
            noOpCmdletPerCallMs       = Get-Median ($s.rounds.noOpCmdletPerCallMs)
            floorStartFromLoopPerCallMs = Get-Median ($s.rounds.floorStartFromLoopPerCallMs)
            coreStartPerCallMs        = Get-Median ($s.rounds.coreStartPerCallMs)
            coreGetPerCallMs          = Get-Median ($s.rounds.coreGetPerCallMs)
            coreInCmdletStartPerCallMs = Get-Median ($s.rounds.coreInCmdletStartPerCallMs)
            coreInCmdletGetPerCallMs  = Get-Median ($s.rounds.coreInCmdletGetPerCallMs)
            cliCalls                  = $plan.cliCalls
            cliStartPerCallMs         = Get-Median $cliStart
            cliDescribePerCallMs      = Get-Median $cliDescribe
        }
        $m.startVsFloor = Get-Median ($s.rounds | ForEach-Object { $_.startPerCallMs / $_.floorStartPerCallMs })
        $m.getVsFloor = Get-Median ($s.rounds | ForEach-Object { $_.getPerCallMs / $_.floorDescribePerCallMs })
        $m.startVsCli = $m.cliStartPerCallMs / $m.startPerCallMs
        $m.getVsCli = $m.cliDescribePerCallMs / $m.getPerCallMs
        $m.allRounds = $s.rounds
        $results.sections.memory = [ordered]@{
            workingSetAfterImportBytes  = $s.workingSetAfterImportBytes
            samples                     = $s.memorySamples
            managedHeapAfterFullGcBytes = $s.managedHeapAfterFullGcBytes
            workingSetAtEndBytes        = $s.workingSetAtEndBytes
        }
        $m
    }

    Invoke-Section 'parallel' {
        $s = Invoke-BenchSession -Script (Join-Path $sessions 'Measure-Parallel.ps1') -Parameters @{
            ModulePath = $modulePath; FloorAssembly = $floorDll; EndpointUrl = $url; Region = $region; StateMachineArn = $quickArn
            Count = $plan.parallelCount; Rounds = $plan.parallelRounds; ThrottleLimit = $plan.throttleLimit; PipelineCount = $plan.pipelineCount
            WarmUp = $plan.parallelWarmUp; LatencyCount = $plan.parallelLatencyCount
            BudgetSeconds = $plan.parallelBudgetSeconds }
        $m = [ordered]@{
            executions                  = ($s.throttledRounds | Measure-Object executions -Sum).Sum
            plannedExecutions           = $plan.parallelCount
            probeExecutionsPerSecond    = $s.probeExecutionsPerSecond
            throttleLimit               = $s.throttleLimit
            moduleExecutionsPerSecond   = Get-Median ($s.throttledRounds.executionsPerSecond)
            workersExecutions           = ($s.parallelRounds | Measure-Object executions -Sum).Sum
            workersExecutionsPerSecond  = Get-Median ($s.parallelRounds.executionsPerSecond)
            floorExecutionsPerSecond    = Get-Median ($s.floorRounds.executionsPerSecond)
            perItemExecutions           = ($s.perItemRounds | Measure-Object executions -Sum).Sum
            perItemExecutionsPerSecond  = Get-Median ($s.perItemRounds.executionsPerSecond)
            pipelineExecutions          = $s.pipelineExecutions
            pipelineExecutionsPerSecond = $s.pipelineExecutionsPerSecond
            latency                     = $s.latency
            moduleRounds                = $s.throttledRounds
            workersRounds               = $s.parallelRounds
            perItemRounds               = $s.perItemRounds
            floorRounds                 = $s.floorRounds
        }
        # Rounds are interleaved with the floor's, so the ratio is taken round by round, then the median.
        $m.latencyModuleVsFloor = if ($s.latency.floorExecutionsPerSecond) { $s.latency.moduleExecutionsPerSecond / $s.latency.floorExecutionsPerSecond } else { $null }
        $m.moduleVsFloor = Get-Median (@(0..($s.throttledRounds.Count - 1)) | ForEach-Object { $s.throttledRounds[$_].executionsPerSecond / $s.floorRounds[$_].executionsPerSecond })
        $m
    }

    Invoke-Section 'waiting' {
        $machines = ($plan.waitMachines | ForEach-Object { "$_=$($arnOf["BenchWait$_"])" }) -join ','
        $byInterval = foreach ($variant in $plan.waitVariants) {
            $interval = $variant.interval
            $diagnostic = $variant.ContainsKey('young')
            $environment = @{}
            $s = Invoke-BenchSession -Script (Join-Path $sessions 'Measure-Waiting.ps1') -Environment $environment -Parameters @{
                ModulePath = $modulePath; EndpointUrl = $url; Region = $region; QuickStateMachineArn = $quickArn
                Machines = $machines; Runs = $plan.waitRuns; PollingInterval = $interval; MaxSettleSeconds = $plan.waitSettleMaxSeconds
                WarmUpStateMachineArn = $arnOf['BenchWait1']; WarmUpWaits = $plan.waitWarmUps; WaitWindowStart = $plan.waitWindowStart
                SteadyWarmUpStateMachineArn = $arnOf["BenchWait$($plan.waitMachines[-1])"]; SteadyWarmUpWaits = [int]$variant['steadyWarmUps'] }
            foreach ($len in $plan.waitMachines) {
                $runs = @($s.runs | Where-Object executionSeconds -eq $len)
                [ordered]@{
                    pollingInterval      = $(if ($interval -gt 0) { "$interval s" } else { 'module default' }) + $(if ($diagnostic) { ' (diagnostic: a young session, its first minute of waiting)' } else { '' })
                    diagnostic           = $diagnostic
                    executionSeconds     = $len
                    runs                 = $runs.Count
                    requestsMedian       = Get-Median ($runs.requests)
                    describeMedian       = Get-Median ($runs.describeRequests)
                    detectionDelayMedianMs = Get-Median ($runs.detectionDelayMs)
                    cpuMedianMs          = Get-Median ($runs.cpuMs)
                    wallMedianSeconds    = Get-Median ($runs.wallSeconds)
                    cpuMsPerSecondWaited = Get-Median ($runs | ForEach-Object { $_.cpuMs / $_.wallSeconds })
                    waitCpuMsPerSecond   = Get-Median ($runs.waitCpuMsPerSecond)
                    idleCpuMsPerSecond   = Get-Median ($runs.idleCpuMsPerSecond)
                    settleSeconds        = $s.settleSeconds
                    all                  = $runs
                }
            }
        }
        [ordered]@{ cases = @($byInterval) }
    }

    $results.machine.endpointWorkingSetAfterSectionsBytes = $(try { $endpoint.Process.Refresh(); $endpoint.Process.WorkingSet64 } catch { $null })
} finally {
    $endpoint.Stop()
}

Invoke-Section 'endpointLoad' {
    # A fresh endpoint, so its memory is that of the held executions, not of the sections above.
    $fresh = Start-LocalEndpoint -Configuration $Configuration -TimeoutSeconds $endpointStartSeconds -Arguments @('--definitions', $definitions, '--time-scale', '1')
    try {
        $listed = & /usr/bin/aws stepfunctions list-state-machines --endpoint-url $fresh.Url --region $region --output json | ConvertFrom-Json
        $holdArn = ($listed.stateMachines | Where-Object name -eq 'BenchHold').stateMachineArn
        $warmUpArn = ($listed.stateMachines | Where-Object name -eq 'BenchQuick').stateMachineArn
        if (-not $holdArn -or -not $warmUpArn) { throw 'The endpoint did not load BenchHold and BenchQuick' }
        $r = Invoke-TimedProcess -FilePath 'dotnet' -TimeoutSeconds 600 -ArgumentList @($loadDll, '--url', $fresh.Url, '--region', $region,
            '--state-machine-arn', $holdArn, '--warmup-state-machine-arn', $warmUpArn, '--executions', "$($plan.loadExecutions)", '--batch', "$($plan.loadBatch)",
            '--concurrency', "$($plan.loadConcurrency)", '--endpoint-pid', "$($fresh.Process.Id)")
        if ($r.ExitCode) { throw "EndpointLoad exited $($r.ExitCode): $($r.StdErr.Trim())" }
        $load = $r.StdOut | ConvertFrom-Json
        $mem = @($load.endpointMemory)
        [ordered]@{
            executions                  = $load.executions
            concurrency                 = $load.concurrency
            startRequestsPerSecond      = Get-Median ($load.startBatches.requestsPerSecond)
            describeRequestsPerSecond   = Get-Median ($load.describeBatches.requestsPerSecond)
            startMedianLatencyMs        = Get-Median ($load.startBatches.medianMs)
            describeMedianLatencyMs     = Get-Median ($load.describeBatches.medianMs)
            runningAfterLoad            = $load.runningAfterLoad
            workingSetIdleBytes         = $mem[0].workingSetBytes
            workingSetHoldingBytes      = ($mem | Where-Object phase -eq 'listed').workingSetBytes
            memory                      = $mem
            startBatches                = $load.startBatches
            describeBatches             = $load.describeBatches
        }
    } finally { $fresh.Stop() }
}

foreach ($k in $savedEnv.Keys) { Set-EnvValue $k $savedEnv[$k] }
$results.durationSeconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
$results.machine.loadAverageAtEnd = (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '
$results.targets = @(Get-BenchmarkTargets -Results $results)

$outDir = if ($Quick) { Join-Path $RepoRoot 'artifacts/bench' } else { Join-Path $RepoRoot 'docs' }
New-Item -ItemType Directory -Force $outDir | Out-Null
$results | ConvertTo-Json -Depth 8 | Set-Content -Encoding utf8NoBOM (Join-Path $outDir 'benchmarks.json')
ConvertTo-BenchmarkMarkdown -Results $results | Set-Content -Encoding utf8NoBOM (Join-Path $outDir 'BENCHMARKS.md')
Write-Host "==> bench: wrote $outDir/BENCHMARKS.md and benchmarks.json in $($results.durationSeconds) s"
foreach ($t in $results.targets) { Write-Host ("    {0,-8} {1}: {2}" -f $t.status, $t.target, $t.measured) }
if ($results.failures.Count) {
    Write-Host "==> bench: $($results.failures.Count) section(s) failed: $(($results.failures | ForEach-Object section) -join ', ')" -ForegroundColor Red
    exit 1
}
exit 0
