<#
.SYNOPSIS
The Universal task: starts a Step Functions execution (optionally waiting for it), prints the Extension
Output as JSON on stdout and exits with the extension's exit code.

.DESCRIPTION
A drop-in for the "AWS Step Functions" Universal Extension (ue-aws-stepfunctions). Every field arrives as
a parameter; values are taken as text (the way a Universal Agent passes them) and validated here, so a bad
field value is exit code 20 with DATA_VALIDATION_ERROR, never a PowerShell binding error. Both
`pwsh -File UeStepFunctionTask.ps1 ...` and `& ./UeStepFunctionTask.ps1 ...` leave $LASTEXITCODE set.

A command line PowerShell itself cannot bind (a field named twice, a field name with no value after it) ends
before this script runs, with exit code 1 and PowerShell's message on stderr: quote every value in a command
template, so that an empty variable is an empty field, not a missing value. On Windows use double quotes
(-ExecutionName "${name}", and \" for a quote inside -Input's JSON): powershell.exe -File and pwsh.exe -File
remove double quotes only, so a single-quoted value arrives with its quotes. Under powershell.exe -File a switch
takes no value (-Wait:$true fails to bind): give -Wait alone, or -WaitForSuccessOrFailure true.

Secrets: prefer AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (or -Credential when called
from PowerShell) to -CredentialsPassword on a command line, which other processes can read.

.EXAMPLE
pwsh -File ./UeStepFunctionTask.ps1 -StateMachineArn arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld -Region us-east-1 -Wait
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

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# A task has nobody to show a progress bar to, and a host without a usable console (powershell.exe under a service)
# can fail to draw one.
$ProgressPreference = 'SilentlyContinue'

# Start-up matters: a Universal Agent starts a fresh PowerShell for every run. The happy path calls no cmdlet of
# Microsoft.PowerShell.Utility, .Security or .Management (Get-Variable, Write-Output, Select-Object, ConvertTo-SecureString,
# Join-Path): autoloading those modules cost each run 60-300 ms, as much as the module's import and first call together.

# The same shape the module writes, for the few failures found before the module can speak (bad field
# text, a module that will not load). Secrets never appear: a given credential shows as ****.
function New-TaskOutput {
    param([int]$Code, [string]$Description)
    $mask = { param($value) if ([string]::IsNullOrEmpty($value)) { $null } else { '****' } }
    # Unset text fields are null, as in the module's own output.
    $text = { param($value) if ([string]::IsNullOrEmpty($value)) { $null } else { $value } }
    [ordered]@{
        exit_code          = $Code
        status_description = $Description
        changed            = $false
        invocation         = [ordered]@{
            extension = 'ue-aws-stepfunctions'
            version   = '1.0.0'
            fields    = [ordered]@{
                action                      = $Action
                credentials_password        = & $mask ($(if ($Credential) { 'x' } else { $CredentialsPassword }))
                credentials_user            = & $mask ($(if ($Credential) { 'x' } else { $CredentialsUser }))
                execution_name              = & $text $ExecutionName
                input                       = & $text $InputJson
                # A number, as in the module's own output, when the field reads as one by the task's own rule (finite: NaN and
                # Infinity are no JSON numbers); otherwise the text as given.
                polling_interval            = if ([string]::IsNullOrWhiteSpace($PollingInterval)) { $null } else {
                    try { ConvertTo-TaskNumber 'polling_interval' $PollingInterval } catch { $PollingInterval } }
                # ProxyText.Redact's rule, restated because the module may not have loaded: everything before the entry's
                # last '@' (after a leading scheme) could be a user name and password, which may hold ',', '@' or '://'.
                proxy                       = if ($Proxy) { Hide-ProxyUserInfo ($Proxy -join ',') } else { $null }
                proxy_ca_bundle_file        = & $text $ProxyCaBundleFile
                proxy_credentials_password  = & $mask ($(if ($ProxyCredential) { 'x' } else { $ProxyCredentialsPassword }))
                proxy_credentials_user      = & $mask ($(if ($ProxyCredential) { 'x' } else { $ProxyCredentialsUser }))
                proxy_type                  = & $text $ProxyType
                region                      = & $text $Region
                role_arn                    = & $text $RoleArn
                role_based_access           = [bool]$RoleArn
                state_machine_arn           = & $text $StateMachineArn
                use_proxy                   = [bool](($Proxy -join '') -replace '[\s,]', '')
                wait_for_success_or_failure = & $text $WaitForSuccessOrFailure
            }
        }
        result             = $null
    } | ConvertTo-Json -Depth 5
}

function Hide-ProxyUserInfo {
    param([string]$Entry)
    $at = $Entry.LastIndexOf('@')
    if ($at -lt 0) { return $Entry }
    $lead = [regex]::Match($Entry, '^\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?').Length
    $Entry.Substring(0, $lead) + '****' + $Entry.Substring($at)
}

function ConvertTo-AsciiJson {
    param([string]$Json)
    # Plain ASCII on stdout: characters beyond it (input, execution output) become \uXXXX escapes, which every JSON reader
    # decodes, whatever code page the scheduler's console uses (on Windows, 437 turned 'ü' into a different byte and
    # CJK text into '?').
    # The byte count check spares the common all-ASCII case the regex and its script block (~25 ms in a fresh process).
    if ([System.Text.Encoding]::UTF8.GetByteCount($Json) -ne $Json.Length) {
        $Json = [regex]::Replace($Json, '[^\u0000-\u007F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    }
    $Json
}

$script:TaskExited = $false

function Exit-Task {
    param([int]$Code, [string]$Json)
    $script:TaskExited = $true
    $text = ConvertTo-AsciiJson $Json
    # Run as the process, the JSON goes to stdout directly: a fresh PowerShell's first output through Out-Default (its
    # formatting machinery) cost every run ~18 ms. Called from a session, it is the script's output, for the caller to keep.
    if ($script:RunsAsProcess) {
        [Console]::Out.WriteLine($text)
        [Console]::Out.Flush()
    } else {
        $text
    }
    exit $Code
}

# A field the task cannot read is the extension's DATA_VALIDATION_ERROR (20), naming the field and the rule. The exception
# is marked in its Data rather than typed by a PowerShell class: defining a class makes PowerShell emit an assembly at run
# time, which cost every task run ~85 ms in a fresh process (842 -> 757 ms, medians of 20 interleaved runs).
function New-TaskFieldError {
    param([string]$Message)
    $exception = [System.FormatException]::new($Message)
    $exception.Data['TaskField'] = $true
    $exception
}

function Test-TaskFieldError {
    param([System.Management.Automation.ErrorRecord]$ErrorRecord)
    $ErrorRecord.Exception.Data.Contains('TaskField')
}

function ConvertTo-TaskBoolean {
    param([string]$Field, [string]$Value)
    switch -Regex ($Value.Trim()) {
        '^(|false|\$false|no|n|0|off)$' { return $false }
        '^(true|\$true|yes|y|1|on)$' { return $true }
        default { throw (New-TaskFieldError "$Field must be true or false (also yes/no, 1/0); got '$Value'.") }
    }
}

function ConvertTo-TaskNumber {
    param([string]$Field, [string]$Value, [switch]$Integer)
    $number = 0.0
    # NaN and Infinity parse as doubles but are no number of seconds.
    if (-not [double]::TryParse($Value.Trim(), [Globalization.NumberStyles]::Float, [Globalization.CultureInfo]::InvariantCulture, [ref]$number) -or
        [double]::IsNaN($number) -or [double]::IsInfinity($number) -or ($Integer -and $number -ne [math]::Floor($number))) {
        $kind = if ($Integer) { 'a whole number' } else { 'a number of seconds' }
        throw (New-TaskFieldError "$Field must be $kind; got '$Value'.")
    }
    if ($Integer -and ($number -gt [int]::MaxValue -or $number -lt [int]::MinValue)) {
        throw (New-TaskFieldError "$Field must be a whole number of reasonable size; got '$Value'.")
    }
    if ($Integer) { [int]$number } else { $number }
}

# True when this process was started to run this script and ends with it (pwsh -File, as a Universal Agent runs it, without
# -NoExit): nothing else will see its session.
function Test-TaskIsProcessEntry {
    try {
        $entry = $false
        foreach ($argument in [Environment]::GetCommandLineArgs()) {
            if ($argument -like '-noe*') { return $false }
            if ($argument -like '*.ps1' -and [IO.Path]::GetFullPath($argument) -eq $PSCommandPath) { $entry = $true }
        }
        $entry
    } catch {
        # An argument that is no valid path (Windows PowerShell's GetFullPath refuses some characters): take the safe way.
        $false
    }
}

function New-TaskCredential {
    param([object]$Given, [string]$User, [string]$Password, [string]$Field)
    if ($Given -is [pscredential]) { return $Given }
    # Blank is unset here too, as for every field.
    if (-not [string]::IsNullOrWhiteSpace("$Given")) {
        # Never echo the value: text given here may well be the secret itself.
        $hint = @{
            credentials       = '-Credential takes a PSCredential object; from a command line give -CredentialsUser and -CredentialsPassword, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
            proxy_credentials = '-ProxyCredential takes a PSCredential object; from a command line give -ProxyCredentialsUser and -ProxyCredentialsPassword.'
        }[$Field]
        throw (New-TaskFieldError "${Field}: $hint")
    }
    $hasUser = -not [string]::IsNullOrWhiteSpace($User)
    $hasPassword = -not [string]::IsNullOrWhiteSpace($Password)
    if (-not $hasUser -and -not $hasPassword) { return $null }
    if (-not $hasUser -or -not $hasPassword) { throw (New-TaskFieldError "$Field needs both a user and a password.") }
    # NetworkCredential, not ConvertTo-SecureString: that cmdlet autoloads Microsoft.PowerShell.Security, which cost
    # every task run ~200 ms in a fresh PowerShell (measured on the benchmark machine).
    [pscredential]::new($User, [System.Net.NetworkCredential]::new('', $Password).SecurePassword)
}

# Says what a cancel left behind and exits 1. The pipeline is stopping: it writes to the console directly. Run as the process
# (pwsh -File) the process ends here; called with & from a session, only the script's run does. A function, not inline in
# the finally block: most runs never need it, and PowerShell compiles a script's whole body before running any of it.
function Exit-TaskCancelled {
    # A call cancelled after its execution started leaves its record in $Error: the execution, and whether -StopOnCancel
    # stopped it (the stop can fail, e.g. with the endpoint gone), reported as the module says. $errorBeforeRun is read
    # unscoped, from the scope the script runs in (dot-sourced from a function, that is the function's).
    $cancelled = $null
    foreach ($record in $global:Error) {
        if ([object]::ReferenceEquals($record, $errorBeforeRun)) { break }
        $target = if ($record -is [System.Management.Automation.ErrorRecord]) { $record.TargetObject }
        if ($null -ne $target -and $target.GetType().FullName -eq 'AwsStepFunctions.Core.ExtensionOutput' -and
            $record.CategoryInfo.Category -eq 'OperationStopped' -and $null -ne $target.result) {
            $cancelled = $target
            break
        }
    }
    $json = if ($cancelled) {
        $cancelled.status_description = "FAIL: the task was cancelled (Ctrl+C or SIGTERM): $($cancelled.status_description -replace '^FAIL:\s*', '')"
        $cancelled.ToJson()
    } else {
        # Nothing is known: cancelled before the start, or while a start's answer was still on its way.
        New-TaskOutput 1 'FAIL: the task was cancelled (Ctrl+C or SIGTERM) before it had a result; if an execution was started, it may still be running.'
    }
    [Console]::Out.WriteLine((ConvertTo-AsciiJson $json))
    [Console]::Out.Flush()
    $global:LASTEXITCODE = 1
    if ($script:RunsAsProcess) { [Environment]::Exit(1) }
}

$script:RunsAsProcess = Test-TaskIsProcessEntry

# One try around the whole run: wherever a cancel lands, the finally below reports it.
# The newest error before this run: a cancelled call's record lands in $Error above it (see Exit-TaskCancelled).
$errorBeforeRun = if ($Error.Count) { $Error[0] } else { $null }
try {
    # Imported before the fields are checked: the module warms up its first call on a thread of its own (see about_AwsStepFunctions),
    # and checking the fields gives it that time. A module that will not load is reported once the fields are known to be good.
    $importFailure = $null
    try {
        if (-not (Get-Module AwsStepFunctions)) {
            if ($script:RunsAsProcess) {
                # The process ends with the task, so nothing else will see the session: the module's two assemblies, in the
                # manifest's order (the loader, its nested module, routes the core and the AWS SDK into the module's own load
                # context), rather than the manifest, whose processing and format data (a table view the task never shows) cost
                # every run 20-35 ms (medians of interleaved runs on the benchmark machine).
                $bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
                Import-Module ([System.IO.Path]::Combine($bin, 'AwsStepFunctions.Loader.dll'))
                Import-Module ([System.IO.Path]::Combine($bin, 'AwsStepFunctions.dll'))
            } else {
                # Called with & or dot-sourced: the caller's session keeps the module as Import-Module gives it (one module, its
                # format data and help, its manifest's requirements checked).
                Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'AwsStepFunctions.psd1'))
            }
        }
    } catch {
        $importFailure = $_
    }

    try {
        if ($UnexpectedArguments) {
            # Names only (a dash and letters): a stray value may be a secret typed in the wrong place.
            $names = @($UnexpectedArguments.Where({ $_ -match '^-[A-Za-z][A-Za-z0-9]*:?$' }))
            $shown = if ($names) { ' (' + ($names -join ', ') + ')' } else { '' }
            throw (New-TaskFieldError "unexpected argument(s)$shown; every field is a named parameter such as -StateMachineArn, and switches take no value (-Wait, or -WaitForSuccessOrFailure true).")
        }
        # As every field: blank is unset (the default), and the value is read without the blanks around it.
        if (-not [string]::IsNullOrWhiteSpace($Action) -and $Action.Trim() -ne 'Start Asynchronous Execution') {
            throw (New-TaskFieldError "action must be 'Start Asynchronous Execution'; got '$Action'.")
        }
        if ([string]::IsNullOrWhiteSpace($StateMachineArn)) {
            throw (New-TaskFieldError 'state_machine_arn is required: the ARN of the state machine to start.')
        }
        # The common cases cost nothing: an empty flag is false, 'true' and 'false' (any case) are what they say, and the numeric
        # defaults as text are the values. Reading them through the converters cost a fresh process ~30 ms of first-use work (a
        # regex, .NET method binding): 808 -> 779 ms, medians of 12 interleaved task runs each.
        $flag = $WaitForSuccessOrFailure.Trim()
        $doWait = $Wait.IsPresent -or $(if ($flag -eq '' -or $flag -eq 'false') { $false } elseif ($flag -eq 'true') { $true }
            else { ConvertTo-TaskBoolean 'wait_for_success_or_failure' $WaitForSuccessOrFailure })
        $parameters = @{
            StateMachineArn = $StateMachineArn
            Wait            = $doWait
            StopOnCancel    = $doWait -and $StopOnCancel.IsPresent
        }
        # An empty field is an unset one (the cmdlet's default applies); given means given: '-1' or '0' reach the module,
        # which says what a value must be.
        if ($RunCount -ceq '1') { $parameters.RunCount = 1 }
        elseif (-not [string]::IsNullOrWhiteSpace($RunCount)) { $parameters.RunCount = ConvertTo-TaskNumber 'run_count' $RunCount -Integer }
        if ($PollingInterval -ceq '10') { $parameters.PollingInterval = 10.0 }
        elseif (-not [string]::IsNullOrWhiteSpace($PollingInterval)) { $parameters.PollingInterval = ConvertTo-TaskNumber 'polling_interval' $PollingInterval }
        # A timeout is read (a non-number is still a field error) but passed only to a wait: the cmdlet warns of one given
        # without -Wait, and a scheduler's form may carry one for every run.
        $timeouts = @{}
        if (-not [string]::IsNullOrWhiteSpace($Timeout)) { $timeouts.Timeout = ConvertTo-TaskNumber 'timeout' $Timeout }
        if (-not [string]::IsNullOrWhiteSpace($UnreachableTimeout)) { $timeouts.UnreachableTimeout = ConvertTo-TaskNumber 'unreachable_timeout' $UnreachableTimeout }
        if ($doWait) { foreach ($key in $timeouts.Keys) { $parameters[$key] = $timeouts[$key] } }
        if (-not [string]::IsNullOrWhiteSpace($RequestTimeout)) { $parameters.RequestTimeout = ConvertTo-TaskNumber 'request_timeout' $RequestTimeout }
        if (-not [string]::IsNullOrWhiteSpace($InputJson)) { $parameters.Input = $InputJson }
        if (-not [string]::IsNullOrWhiteSpace($ExecutionName)) { $parameters.ExecutionName = $ExecutionName }
        # Only when given (keys from the environment are the common case): a function's first call is compiled on the spot.
        if ($null -ne $Credential -or $CredentialsUser -or $CredentialsPassword) {
            $credentialObject = New-TaskCredential $Credential $CredentialsUser $CredentialsPassword 'credentials'
            if ($credentialObject) { $parameters.Credential = $credentialObject }
        }
        if ($null -ne $ProxyCredential -or $ProxyCredentialsUser -or $ProxyCredentialsPassword) {
            $proxyCredentialObject = New-TaskCredential $ProxyCredential $ProxyCredentialsUser $ProxyCredentialsPassword 'proxy_credentials'
            if ($proxyCredentialObject) { $parameters.ProxyCredential = $proxyCredentialObject }
        }
        foreach ($name in 'Region', 'ProfileName', 'RoleArn', 'ExternalId', 'RoleSessionName', 'EndpointUrl', 'ProxyCaBundleFile') {
            $value = $ExecutionContext.SessionState.PSVariable.GetValue($name)
            if (-not [string]::IsNullOrWhiteSpace($value)) { $parameters[$name] = $value }
        }
        if ($Proxy) {
            $proxyList = @(($Proxy -split ',').ForEach({ $_.Trim() }).Where({ $_ }))
            if ($proxyList) { $parameters.Proxy = $proxyList }
        }
        if (-not [string]::IsNullOrWhiteSpace($ProxyType)) {
            # The seed spells the choices 'http', 'https', 'https with credentials'.
            $normalized = $ProxyType -replace '[\s_-]', ''
            $parameters.ProxyType = switch ($normalized) {
                'http' { 'Http' }
                'https' { 'Https' }
                'httpswithcredentials' { 'HttpsWithCredentials' }
                default { throw (New-TaskFieldError "proxy_type must be http, https or 'https with credentials'; got '$ProxyType'.") }
            }
        }
    } catch {
        if (Test-TaskFieldError $_) { Exit-Task 20 (New-TaskOutput 20 "DATA_VALIDATION_ERROR: $($_.Exception.Message)") }
        Exit-Task 1 (New-TaskOutput 1 "FAIL: $($_.Exception.GetType().Name): $($_.Exception.Message)")
    }

    try {
        if ($importFailure) { throw $importFailure }
        $cmdErrors = [System.Collections.ArrayList]::new()
        $cmdWarnings = [System.Collections.ArrayList]::new()
        $outputs = @()
        try {
            # Warnings go to stderr after the call: stdout carries the JSON alone.
            $outputs = @(Start-UeStepFunction @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable +cmdErrors `
                    -WarningAction SilentlyContinue -WarningVariable +cmdWarnings)
        } catch {
            # Set-up failures are terminating (bad region, proxy list...): they carry the output too.
            [void]$cmdErrors.Add($_)
        }
        foreach ($warning in $cmdWarnings) { [Console]::Error.WriteLine("WARNING: $warning") }
        # The cmdlet writes the output for every outcome it knows; for failures it rides on the error record. Plain loops: the
        # .Where()/.ForEach() script blocks cost a fresh process ~20 ms.
        $candidates = [System.Collections.Generic.List[object]]::new()
        foreach ($output in $outputs) { $candidates.Add($output) }
        foreach ($cmdError in $cmdErrors) { if ($cmdError -is [System.Management.Automation.ErrorRecord]) { $candidates.Add($cmdError.TargetObject) } }
        foreach ($candidate in $candidates) {
            # The output's type lives in the module's own load context, where a [TypeName] literal does not reach.
            if ($null -ne $candidate -and $candidate.GetType().FullName -eq 'AwsStepFunctions.Core.ExtensionOutput') {
                Exit-Task $candidate.exit_code $candidate.ToJson()
            }
        }
        # A value the cmdlet's own parameter validation refused is still a bad field, not a crash.
        $binding = @($cmdErrors).Where({ $_ -is [System.Management.Automation.ErrorRecord] -and $_.Exception -is [System.Management.Automation.ParameterBindingException] }, 'First')
        if ($binding) {
            Exit-Task 20 (New-TaskOutput 20 "DATA_VALIDATION_ERROR: $($binding.Exception.Message)")
        }
        $message = if ($cmdErrors.Count) { "$($cmdErrors[0])" } else { 'the cmdlet wrote no result' }
        Exit-Task 1 (New-TaskOutput 1 "FAIL: $message")
    } catch {
        Exit-Task 1 (New-TaskOutput 1 "FAIL: $($_.Exception.GetType().Name): $($_.Exception.Message)")
    }
} finally {
    # Ctrl+C, or SIGTERM (the module takes it as Ctrl+C while it waits; Universal Agent cancels a task with it on Linux),
    # stops the pipeline: no result and no catch, only this block, wherever the script was (importing, checking fields,
    # waiting). A cancelled task must never look like a success (it exited 0 with nothing on stdout).
    if (-not $script:TaskExited) { Exit-TaskCancelled }
}
