<#
.SYNOPSIS
The Universal task: starts a Step Functions execution (optionally waiting for it), prints the Extension
Output as JSON on stdout and exits with the extension's exit code.

.DESCRIPTION
A drop-in for the "AWS Step Functions" Universal Extension (ue-aws-stepfunctions). Every field arrives as
a parameter; values are taken as text (the way a Universal Agent passes them) and validated by the module, so a
bad field value is exit code 20 with DATA_VALIDATION_ERROR, never a PowerShell binding error. Both
`pwsh -File UeStepFunctionTask.ps1 ...` and `& ./UeStepFunctionTask.ps1 ...` leave $LASTEXITCODE set.

A command line PowerShell itself cannot bind (a field named twice, a field name with no value after it) ends
before this script runs, with exit code 1 and PowerShell's message on stderr: quote every value in a command
template, so that an empty variable is an empty field, not a missing value. On Windows use double quotes
(-ExecutionName "${name}", and \" for a quote inside -Input's JSON): powershell.exe -File and pwsh.exe -File
remove double quotes only, so a single-quoted value arrives with its quotes. Under powershell.exe -File a switch
takes no value (-Wait:$true fails to bind): give -Wait alone, or -WaitForSuccessOrFailure true.

Secrets: prefer AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (or -Credential when called
from PowerShell) to -CredentialsPassword on a command line, which other processes can read.

.PARAMETER Action
The extension's action: 'Start Asynchronous Execution' (the default, and the only one); empty is the default.

.PARAMETER StateMachineArn
The state machine to start, or a version or alias of it (...:stateMachine:<name>[:<version or alias>]); a field error
(exit code 20) when missing.

.PARAMETER InputJson
The execution's input as JSON text (alias -Input); empty is {}. At most 256 KiB, and no more than a command line carries
(on Windows 32,767 characters for the whole command line): use -InputFile for more.

.PARAMETER InputFile
A file holding the execution's input as JSON, instead of -InputJson: UTF-8, or UTF-16 with a byte order mark (what
Windows PowerShell's Out-File writes). A relative path is from the task's working directory. At most 256 KiB of input.

.PARAMETER ExecutionName
The execution's base name; -<RunCount> is appended. Empty: a unique name is generated.

.PARAMETER RunCount
The run number appended to the execution name (default 1), so reruns of a task get distinct names.

.PARAMETER Wait
Wait for the execution to end: exit code 0 on SUCCEEDED, 23 FAILED, 24 ABORTED, 25 TIMED_OUT.

.PARAMETER WaitForSuccessOrFailure
The extension's field for -Wait, as text: 'true', 'yes', '1' wait; 'false', 'no', '0' or empty do not (any case). Saying
false while -Wait is given is a field error (exit code 20): the two disagree.

.PARAMETER PollingInterval
Seconds between two polls while waiting (default 10, from 0.01 to 3600).

.PARAMETER Timeout
Seconds to wait before giving up (exit code 1; the execution keeps running), with one last read of its status at the
deadline. Used only when waiting. It bounds the wait, not the start before it: an endpoint that never answers holds the
start for -RequestTimeout three times over before exit code 10.

.PARAMETER StopOnCancel
When the task is cancelled while it waits (SIGTERM, Ctrl+C), stop the execution too. Used only when waiting.

.PARAMETER UnreachableTimeout
Seconds the endpoint may stay unreachable while waiting before the task ends with exit code 10 (default 300).

.PARAMETER RequestTimeout
Seconds one HTTP request may take before it is abandoned and retried (default 100, from 0.1 to 3600). An unanswered
start then spends up to 10 s reading the machine's type and up to 10 s reading back the execution it may have
started, so that it is neither started twice nor lost.

.PARAMETER Region
The AWS region. Empty: the state machine ARN's region; given, it must be that region.

.PARAMETER Credential
From PowerShell callers only: a PSCredential with the access key id as user name and the secret access key as password.

.PARAMETER CredentialsUser
The access key id. Prefer AWS_ACCESS_KEY_ID in the task's environment.

.PARAMETER CredentialsPassword
The secret access key. Prefer AWS_SECRET_ACCESS_KEY in the task's environment: a command line can be read by other
processes.

.PARAMETER ProfileName
A profile of the shared AWS credentials and config files (keys, a role, credential_process, IAM Identity Center).

.PARAMETER RoleArn
A role to assume (STS AssumeRole) with the credentials found, for the Step Functions calls.

.PARAMETER ExternalId
The external id the role's trust policy asks for (with -RoleArn).

.PARAMETER RoleSessionName
The AssumeRole session name (with -RoleArn); generated when empty.

.PARAMETER EndpointUrl
Another Step Functions endpoint: a VPC endpoint, or a local one. Empty: the region's public endpoint.

.PARAMETER Proxy
The proxy URL (http://host:port), or one per scheme ('http://host:port,https://host:port'). Empty: HTTPS_PROXY,
HTTP_PROXY and NO_PROXY apply.

.PARAMETER ProxyType
The extension's proxy type: Http (default), Https or HttpsWithCredentials (which requires proxy credentials).

.PARAMETER ProxyCredential
From PowerShell callers only: the proxy's user name and password as a PSCredential.

.PARAMETER ProxyCredentialsUser
The proxy's user name.

.PARAMETER ProxyCredentialsPassword
The proxy's password.

.PARAMETER ProxyCaBundleFile
A PEM file of certificate authorities to trust for an https:// proxy (requires -Proxy).

.PARAMETER UnexpectedArguments
Not a field: anything on the command line that is not one, so that it is a field error (exit code 20, with JSON).

.EXAMPLE
pwsh -File ./UeStepFunctionTask.ps1 -StateMachineArn arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld -Region us-east-1 -Wait

Starts HelloWorld, waits for it to end, prints the Extension Output as JSON and exits with its exit code.
#>

# No positional binding: every field is named, so a stray value can never land in -Credential (which
# would prompt for a password and hang an unattended task).
[CmdletBinding(PositionalBinding = $false)]
param(
    [string]$Action = 'Start Asynchronous Execution',
    [string]$StateMachineArn,
    # Not named $Input: that is PowerShell's automatic pipeline variable.
    [Alias('Input')]
    [string]$InputJson,
    # Input too long for a command line: read from this file.
    [string]$InputFile,
    [string]$ExecutionName,
    [string]$RunCount = '1',
    # -Wait alone, or the seed's string booleans through -WaitForSuccessOrFailure ('true', 'yes', '1'...).
    [switch]$Wait,
    [string]$WaitForSuccessOrFailure,
    [string]$PollingInterval = '10',
    [string]$Timeout,
    [switch]$StopOnCancel,
    # Seconds the endpoint may stay unreachable while waiting before the task ends with 10 (default 300).
    [string]$UnreachableTimeout,
    # Seconds one HTTP request may take before it is abandoned and retried.
    [string]$RequestTimeout,
    [string]$Region,
    # A PSCredential object, from PowerShell callers only. Typed [object] so that text given here (from a command line)
    # is a field error, exit 20: a [pscredential] parameter would turn text into an interactive password prompt.
    [object]$Credential,
    [string]$CredentialsUser,
    [string]$CredentialsPassword,
    [string]$ProfileName,
    [string]$RoleArn,
    [string]$ExternalId,
    [string]$RoleSessionName,
    [string]$EndpointUrl,
    # One or more proxy URLs; 'http://host:port,https://host:port' in one string is accepted too.
    [string[]]$Proxy,
    [string]$ProxyType,
    [object]$ProxyCredential,
    [string]$ProxyCredentialsUser,
    [string]$ProxyCredentialsPassword,
    [string]$ProxyCaBundleFile,
    # Anything else on the command line (an unknown -Field, a value after a switch such as '-Wait true'): a field error,
    # exit 20 with JSON, instead of PowerShell's binding error (exit 1, nothing on stdout).
    [Parameter(ValueFromRemainingArguments)]
    [string[]]$UnexpectedArguments
)

# Start-up matters: a Universal Agent starts a fresh PowerShell for every run. The fields are read, the execution started
# and the JSON made by the module's compiled Invoke-UeStepFunctionTask (which the manifest does not export): written here,
# the same work cost every run ~200 ms of parsing and first-use compiling in a fresh PowerShell. What stays is what must
# work without the module: its import, and a report when it cannot load or the task is cancelled before it could speak.

# True when this process was started to run this script and ends with it (pwsh -File, as a Universal Agent runs it, without
# -NoExit): nothing else will see its session, and the task ends the process with its exit code. The first script on the
# command line decides: a runner started as `pwsh -File runner.ps1 -Task <this script>` calls it with & and goes on.
function Test-RunsAsProcess {
    try {
        $firstScript = $null
        foreach ($argument in [Environment]::GetCommandLineArgs()) {
            if ($argument -like '-noe*') { $firstScript = $null; break }
            if ($null -eq $firstScript -and $argument -like '*.ps1') { $firstScript = $argument }
        }
        $null -ne $firstScript -and [IO.Path]::GetFullPath($firstScript) -eq $PSCommandPath
    } catch {
        # An argument that is no valid path (Windows PowerShell's GetFullPath refuses some characters): take the safe way.
        $false
    }
}

# The task's own report when the module cannot give one: the module's shape, every field as given, a given secret as ****.
function New-TaskOutput {
    param([int]$Code, [string]$Description)
    $mask = { param($given) if ($given) { '****' } else { $null } }
    $text = { param($value) if ([string]::IsNullOrEmpty($value)) { $null } else { $value } }
    $proxyText = $Proxy -join ','
    $json = [ordered]@{
        exit_code          = $Code
        status_description = $Description
        changed            = $false
        invocation         = [ordered]@{
            extension = 'ue-aws-stepfunctions'
            version   = '1.0.0'
            fields    = [ordered]@{
                action                      = $Action
                credentials_password        = & $mask ($Credential -or $CredentialsPassword)
                credentials_user            = & $mask ($Credential -or $CredentialsUser)
                execution_name              = & $text $ExecutionName
                input                       = & $text $InputJson
                input_file                  = & $text $InputFile
                polling_interval            = & $text $PollingInterval
                # Everything before the last '@' after a scheme could be a user name and password (which may hold ',', '@', '://').
                proxy                       = if ($proxyText) { $proxyText -replace '^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?).*@', '$1****@' } else { $null }
                proxy_ca_bundle_file        = & $text $ProxyCaBundleFile
                proxy_credentials_password  = & $mask ($ProxyCredential -or $ProxyCredentialsPassword)
                proxy_credentials_user      = & $mask ($ProxyCredential -or $ProxyCredentialsUser)
                proxy_type                  = & $text $ProxyType
                region                      = & $text $Region
                role_arn                    = & $text $RoleArn
                role_based_access           = [bool]$RoleArn
                state_machine_arn           = & $text $StateMachineArn
                use_proxy                   = [bool]($proxyText -replace '[\s,]', '')
                wait_for_success_or_failure = if ($Wait -and -not "$WaitForSuccessOrFailure".Trim()) { $true } else { & $text $WaitForSuccessOrFailure }
            }
        }
        result             = $null
    } | ConvertTo-Json -Depth 5
    # Plain ASCII on stdout, as the module writes it, whatever code page the scheduler's console uses.
    [regex]::Replace($json, '[^\u0000-\u007F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
}

$task = $null
$outcome = $null
$importFailure = $null
# Decided inside the try (its first use compiles code: tens of milliseconds in a fresh IL-only pwsh), or by the finally if
# a cancel came first.
$runsAsProcess = $null
# The newest error before this run: a start cancelled after its execution started leaves its record in $Error above it.
$errorBeforeRun = if ($Error.Count) { $Error[0] } else { $null }
# One try around the whole run, entered as early as the script can: wherever a cancel lands (setting up, importing,
# starting, waiting), the finally below reports it.
try {
    $ErrorActionPreference = 'Stop'
    Set-StrictMode -Version Latest
    # A task has nobody to show a progress bar to, and a host without a usable console (powershell.exe under a service)
    # can fail to draw one.
    $ProgressPreference = 'SilentlyContinue'
    $runsAsProcess = Test-RunsAsProcess
    try {
        if (-not (Get-Module AwsStepFunctions)) {
            $bin = [IO.Path]::Combine($PSScriptRoot, 'bin')
            # -Verbose:$false: with the task's -Verbose, the import's own lines would reach stdout, which is the JSON's.
            if ($runsAsProcess) {
                # The process ends with the task, so nothing else will see the session: the module's two assemblies, in the
                # manifest's order (the loader, its nested module, routes the core and the AWS SDK into the module's own load
                # context), rather than the manifest, whose processing and format data (a table view the task never shows) cost
                # every run 20-35 ms. A loader that refuses (the core missing or damaged) is reported once the fields are
                # known to be good: the cmdlet assembly reads them without the core.
                try { Import-Module ([IO.Path]::Combine($bin, 'AwsStepFunctions.Loader.dll')) -Verbose:$false } catch { $importFailure = $_ }
                # Without the core PowerShell cannot list the cmdlets, but the assembly is loaded: the engine below is reached.
                try { Import-Module ([IO.Path]::Combine($bin, 'AwsStepFunctions.dll')) -Verbose:$false } catch { if (-not $importFailure) { $importFailure = $_ } }
            } else {
                # Called with & or dot-sourced: the caller's session keeps the module as Import-Module gives it (one module, its
                # format data and help, its manifest's requirements checked).
                Import-Module ([IO.Path]::Combine($PSScriptRoot, 'AwsStepFunctions.psd1')) -Verbose:$false
            }
        }
        $task = [System.Management.Automation.CmdletInfo]::new('Invoke-UeStepFunctionTask', [AwsStepFunctions.UniversalTask.InvokeUeStepFunctionTaskCommand])
    } catch {
        if (-not $importFailure) { $importFailure = $_ }
    }
    if ($task) {
        $outcome = & $task @PSBoundParameters -ImportFailure $importFailure
    } else {
        $description = "FAIL: $($importFailure.Exception.GetType().Name): $($importFailure.Exception.Message)"
        $outcome = [pscustomobject]@{ ExitCode = 1; Json = New-TaskOutput 1 $description; Messages = @($description) }
    }
} finally {
    # Ctrl+C, or SIGTERM (the module takes it as Ctrl+C while it starts or waits; Universal Agent cancels a task with it on
    # Linux), stops the pipeline: no outcome and no catch, only this block. A cancelled task must never look like a success
    # (pwsh -File stopped by Ctrl+C exits 0 with nothing on stdout). PowerShell honours a stop between commands, and one can
    # still be on its way here, so the report, its output and the exit are one method call (TaskEnd.Finish), whichever way
    # the task ended.
    if ($task) {
        $ended = [AwsStepFunctions.UniversalTask.TaskEnd]::Finish($outcome, $PSBoundParameters, $Error, $errorBeforeRun, $importFailure, [bool]$runsAsProcess)
        # Called with & from a session (run as its process, it has ended already): a cancel's JSON is on stdout, and the stop
        # goes on to the caller.
        if ($null -eq $outcome) { $global:LASTEXITCODE = 1 }
        $outcome = $ended
    } elseif ($null -eq $outcome) {
        # Cancelled before the module was there: the script's own report.
        if ($null -eq $runsAsProcess) { $runsAsProcess = Test-RunsAsProcess }
        $description = 'FAIL: the task was cancelled (Ctrl+C or SIGTERM) before it had a result; if an execution was started, it may still be running.'
        [Console]::Error.WriteLine($description)
        [Console]::Out.WriteLine((New-TaskOutput 1 $description))
        [Console]::Out.Flush()
        $global:LASTEXITCODE = 1
        if ($runsAsProcess) { [Environment]::Exit(1) }
    }
}
if (-not $task) {
    # The module could not load: the script's own report, its description on stderr (stdout carries the JSON alone).
    foreach ($line in $outcome.Messages) { [Console]::Error.WriteLine($line) }
    if ($runsAsProcess) {
        [Console]::Out.WriteLine($outcome.Json)
        [Console]::Out.Flush()
        [Environment]::Exit($outcome.ExitCode)
    }
}
$outcome.Json
exit $outcome.ExitCode
