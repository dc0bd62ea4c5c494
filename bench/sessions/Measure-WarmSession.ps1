# One warm session, several rounds. Each round: CallsPerRound Start-UeStepFunction, then as many
# Get-UeStepFunctionResult on the executions just started, then the raw floor (RawFloor.dll loaded into
# this very process: one reused HttpClient, the benchmark's own signer) sending the same number of
# StartExecution and DescribeExecution requests. Interleaving the contenders round by round exposes
# them to the same background noise. The working set is sampled every SampleEvery cmdlet calls.
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$FloorAssembly,
    [Parameter(Mandatory)][string]$EndpointUrl,
    [Parameter(Mandatory)][string]$Region,
    [Parameter(Mandatory)][string]$StateMachineArn,
    [int]$Rounds = 5,
    [int]$CallsPerRound = 1000,
    [int]$SampleEvery = 250,
    # Unmeasured calls of every contender first: the runtime recompiles hot code at full optimisation in stages for
    # the first few thousand calls, and "warm" means after that (the first rounds otherwise ran at twice the cost).
    [int]$WarmUpCalls = 2000
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'SessionCommon.ps1')
$credential = New-BenchCredential
$common = @{ EndpointUrl = $EndpointUrl; Region = $Region; Credential = $credential }

Import-Module $ModulePath
$afterImport = [Environment]::WorkingSet
Add-Type -Path $FloorAssembly
$floor = [RawFloor.SfnRawClient]::new([uri]$EndpointUrl, $Region, $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY, $env:AWS_SESSION_TOKEN)
$none = [Threading.CancellationToken]::None

# Where a warm call's time goes, measured beside the module each round:
# - PowerShell's own cost of calling a compiled cmdlet: a no-op cmdlet with Start-UeStepFunction's parameters and their
#   attributes (the binder's work grows with the parameter set), ShouldProcess, bound the same way, writing one object;
# - the module's core called directly (the public StepFunctionsService in the module's own load context): the AWS SDK
#   pipeline, signing and our core, without the cmdlet layer or PowerShell's binding;
# - the same core call made inside a cmdlet with the no-op's parameters and nothing else of ours: a call runs slower when a
#   cmdlet invocation runs around it than in a tight loop (PowerShell's work between calls leaves the caches colder), and
#   that share is PowerShell's, not the module's cmdlet layer's.
$noOp = Add-Type -PassThru -ReferencedAssemblies ([psobject].Assembly.Location), 'System.Linq.Expressions' -TypeDefinition @'
using System;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
public enum BenchProxyKind { Http, Https, HttpsWithCredentials }
/// <summary>Start-UeStepFunction's parameters and their attributes, shared by the yardstick cmdlets.</summary>
public abstract class BenchCmdletParameters : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty] [Alias("Arn")] public string StateMachineArn { get; set; } = "";
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)] [AllowNull] public object Input { get; set; }
    [Parameter(ValueFromPipelineByPropertyName = true)] public string ExecutionName { get; set; }
    [Parameter] public int RunCount { get; set; } = 1;
    [Parameter] public SwitchParameter Wait { get; set; }
    [Parameter] public double PollingInterval { get; set; } = 10;
    [Parameter] public double Timeout { get; set; }
    [Parameter] public SwitchParameter StopOnCancel { get; set; }
    [Parameter] public double UnreachableTimeout { get; set; } = 300;
    [Parameter] [ValidateNotNullOrEmpty] public string Region { get; set; }
    [Parameter] [Credential] public PSCredential Credential { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string ProfileName { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string RoleArn { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string ExternalId { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string RoleSessionName { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string EndpointUrl { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string[] Proxy { get; set; }
    [Parameter] public BenchProxyKind ProxyType { get; set; }
    [Parameter] [Credential] public PSCredential ProxyCredential { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string ProxyCaBundleFile { get; set; }
    [Parameter] public double RequestTimeout { get; set; }
    [Parameter] [ValidateRange(1, 64)] public int ThrottleLimit { get; set; } = 1;
}
[Cmdlet("Invoke", "BenchNoOp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class InvokeBenchNoOpCommand : BenchCmdletParameters
{
    protected override void ProcessRecord()
    {
        if (ShouldProcess(StateMachineArn, "Start execution")) WriteObject(new PSObject());
    }
}
/// <summary>The no-op plus one blocking core call: StartAsync, or with -Describe GetAsync of the ARN given as -StateMachineArn.</summary>
[Cmdlet("Invoke", "BenchCoreInCmdlet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class InvokeBenchCoreInCmdletCommand : BenchCmdletParameters
{
    private static Func<Task> _start;
    private static Func<string, Task> _get;
    /// <summary>Compiled calls into the core, whose types live in the module's own load context (no reflection per call).</summary>
    public static void Bind(object service, object startRequest)
    {
        var type = service.GetType();
        var start = type.GetMethod("StartAsync");
        var get = type.GetMethod("GetAsync");
        var none = Expression.Constant(CancellationToken.None);
        _start = Expression.Lambda<Func<Task>>(Expression.Convert(Expression.Call(Expression.Constant(service), start,
            Expression.Constant(startRequest), Expression.Constant(null, start.GetParameters()[1].ParameterType), none), typeof(Task))).Compile();
        var arn = Expression.Parameter(typeof(string), "arn");
        _get = Expression.Lambda<Func<string, Task>>(Expression.Convert(Expression.Call(Expression.Constant(service), get, arn, none), typeof(Task)), arn).Compile();
    }
    [Parameter] public SwitchParameter Describe { get; set; }
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(StateMachineArn, "Start execution")) return;
        (Describe.IsPresent ? _get(StateMachineArn) : _start()).GetAwaiter().GetResult();
        WriteObject(new PSObject());
    }
}
'@
Import-Module -Assembly $noOp[0].Assembly
$moduleContext = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'DependencyLoadContext' } | Select-Object -First 1
if (-not $moduleContext) { throw "The module's own load context was not found" }
$core = $moduleContext.LoadFromAssemblyName([Reflection.AssemblyName]::new('AwsStepFunctions.Core'))
$settings = [Activator]::CreateInstance($core.GetType('AwsStepFunctions.Core.ConnectionSettings', $true))
$settings.Region = $Region; $settings.EndpointUrl = $EndpointUrl
$settings.AccessKeyId = $credential.UserName; $settings.SecretAccessKey = $credential.Password
$service = [Activator]::CreateInstance($core.GetType('AwsStepFunctions.Core.StepFunctionsService', $true), @($core.GetType('AwsStepFunctions.Core.StepFunctionsClients', $true)::Get($settings)))
$startRequest = [Activator]::CreateInstance($core.GetType('AwsStepFunctions.Core.StartRequest', $true))
$startRequest.StateMachineArn = $StateMachineArn
[InvokeBenchCoreInCmdletCommand]::Bind($service, $startRequest)

# Warm-up, not measured: JIT and the first connection for both contenders.
$warmUp = Start-UeStepFunction -StateMachineArn $StateMachineArn @common
$null = Get-UeStepFunctionResult -ExecutionArn (Get-OutputExecutionArn $warmUp) @common
$null = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, 5, 1, $none).GetAwaiter().GetResult()
$null = Invoke-BenchNoOp -StateMachineArn $StateMachineArn @common
$null = $service.StartAsync($startRequest, $null, $none).GetAwaiter().GetResult()
$warmUpArn = Get-OutputExecutionArn $warmUp
for ($i = 0; $i -lt $WarmUpCalls; $i++) {
    $null = Start-UeStepFunction -StateMachineArn $StateMachineArn @common
    $null = Get-UeStepFunctionResult -ExecutionArn $warmUpArn @common
    $null = Invoke-BenchNoOp -StateMachineArn $StateMachineArn @common
    $null = $service.StartAsync($startRequest, $null, $none).GetAwaiter().GetResult()
    $null = $service.GetAsync($warmUpArn, $none).GetAwaiter().GetResult()
    $null = Invoke-BenchCoreInCmdlet -StateMachineArn $StateMachineArn @common
    $null = Invoke-BenchCoreInCmdlet -StateMachineArn $warmUpArn -Describe @common
    $null = $floor.StartExecutionAsync($StateMachineArn, [guid]::NewGuid().ToString('n'), '{}', $none).GetAwaiter().GetResult()
}
$null = [RawFloor.FloorRunner]::DescribeManyAsync($floor, [string[]]@(1..$WarmUpCalls | ForEach-Object { $warmUpArn }), 1, $none).GetAwaiter().GetResult()

$calls = 0
$samples = [Collections.Generic.List[object]]::new()
function Add-MemorySample {
    $samples.Add([ordered]@{ calls = $calls; workingSetBytes = [Environment]::WorkingSet; managedHeapBytes = [GC]::GetTotalMemory($false) })
}
Add-MemorySample

$results = foreach ($round in 1..$Rounds) {
    $arns = [Collections.Generic.List[string]]::new($CallsPerRound)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $CallsPerRound; $i++) {
        $out = Start-UeStepFunction -StateMachineArn $StateMachineArn @common
        $arns.Add($out.result.ExecutionArn)
        if ((++$calls % $SampleEvery) -eq 0) { Add-MemorySample }
    }
    $startMs = $sw.Elapsed.TotalMilliseconds
    if (@($arns | Where-Object { $_ }).Count -ne $CallsPerRound) { throw "Round ${round}: not every Start-UeStepFunction returned an execution ARN" }

    $sw.Restart()
    foreach ($arn in $arns) {
        $got = Get-UeStepFunctionResult -ExecutionArn $arn @common
        if (-not $got.result.Status) { throw "Get-UeStepFunctionResult returned no status for $arn" }
        if ((++$calls % $SampleEvery) -eq 0) { Add-MemorySample }
    }
    $getMs = $sw.Elapsed.TotalMilliseconds

    $floorStart = [RawFloor.FloorRunner]::StartManyAsync($floor, $StateMachineArn, $CallsPerRound, 1, $none).GetAwaiter().GetResult()
    $floorDescribe = [RawFloor.FloorRunner]::DescribeManyAsync($floor, $floorStart.ExecutionArns, 1, $none).GetAwaiter().GetResult()
    $sw.Restart()
    for ($i = 0; $i -lt $CallsPerRound; $i++) { $null = Invoke-BenchNoOp -StateMachineArn $StateMachineArn @common }
    $noOpMs = $sw.Elapsed.TotalMilliseconds
    # The floor driven the way the module is: one blocking call per iteration of a PowerShell loop.
    $sw.Restart()
    for ($i = 0; $i -lt $CallsPerRound; $i++) { $null = $floor.StartExecutionAsync($StateMachineArn, [guid]::NewGuid().ToString('n'), '{}', $none).GetAwaiter().GetResult() }
    $floorFromLoopMs = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    for ($i = 0; $i -lt $CallsPerRound; $i++) { $null = $service.StartAsync($startRequest, $null, $none).GetAwaiter().GetResult() }
    $coreStartMs = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    foreach ($arn in $arns) { $null = $service.GetAsync($arn, $none).GetAwaiter().GetResult() }
    $coreGetMs = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    for ($i = 0; $i -lt $CallsPerRound; $i++) { $null = Invoke-BenchCoreInCmdlet -StateMachineArn $StateMachineArn @common }
    $coreInCmdletStartMs = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    foreach ($arn in $arns) { $null = Invoke-BenchCoreInCmdlet -StateMachineArn $arn -Describe @common }
    $coreInCmdletGetMs = $sw.Elapsed.TotalMilliseconds

    [ordered]@{
        round                     = $round
        noOpCmdletPerCallMs       = $noOpMs / $CallsPerRound
        floorStartFromLoopPerCallMs = $floorFromLoopMs / $CallsPerRound
        coreStartPerCallMs        = $coreStartMs / $CallsPerRound
        coreGetPerCallMs          = $coreGetMs / $CallsPerRound
        coreInCmdletStartPerCallMs = $coreInCmdletStartMs / $CallsPerRound
        coreInCmdletGetPerCallMs  = $coreInCmdletGetMs / $CallsPerRound
        startPerCallMs            = $startMs / $CallsPerRound
        getPerCallMs              = $getMs / $CallsPerRound
        floorStartPerCallMs       = $floorStart.ElapsedMs / $CallsPerRound
        floorDescribePerCallMs    = $floorDescribe.ElapsedMs / $CallsPerRound
        floorStartMedianMs        = $floorStart.MedianMs
        floorDescribeMedianMs     = $floorDescribe.MedianMs
    }
}
$floor.Dispose()
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
Write-SessionResult ([ordered]@{
    callsPerRound               = $CallsPerRound
    rounds                      = @($results)
    workingSetAfterImportBytes  = $afterImport
    memorySamples               = @($samples)
    managedHeapAfterFullGcBytes = [GC]::GetTotalMemory($true)
    workingSetAtEndBytes        = [Environment]::WorkingSet
})
