# Shared by the Pester files: the local endpoint with test state machines and users, the wrapper run in
# a child process, and a few constants. Every test file imports the BUILT module (./AwsStepFunctions.psd1).

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $script:RepoRoot 'tools/LocalEndpoint.psm1') -Force

$script:AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'
$script:SecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
$script:Account = '123456789012'
$script:Region = 'us-east-1'

function Get-RepoRoot { $script:RepoRoot }

function Get-ModuleManifestPath { Join-Path $script:RepoRoot 'AwsStepFunctions.psd1' }

function Get-TaskScriptPath { Join-Path $script:RepoRoot 'UeStepFunctionTask.ps1' }

<# The pwsh executable of this PowerShell (under `dotnet pwsh` the process itself is dotnet). #>
function Get-PwshPath {
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    Join-Path $PSHOME $name
}

function Get-TestCredential {
    param([string]$AccessKeyId = $script:AccessKeyId, [string]$Secret = $script:SecretAccessKey)
    [pscredential]::new($AccessKeyId, (ConvertTo-SecureString -String $Secret -AsPlainText -Force))
}

function Get-StateMachineArn {
    param([Parameter(Mandatory)][string]$Name)
    "arn:aws:states:$($script:Region):$($script:Account):stateMachine:$Name"
}

<#
Writes the test state machines: Hello (succeeds at once), Fails (a Fail state), Short (a 2 s Wait,
fast under --time-scale), Slow (a 600 s Wait, to stop or cancel), TimesOut (machine TimeoutSeconds 1)
and HelloExpress (EXPRESS).
#>
function New-TestDefinitions {
    param([Parameter(Mandatory)][string]$Path)
    New-Item -ItemType Directory -Force $Path | Out-Null
    $machines = @{
        'Hello.asl.json'              = @{ StartAt = 'Greet'; States = @{ Greet = @{ Type = 'Pass'; Result = @{ greeting = 'hello' }; End = $true } } }
        'Fails.asl.json'              = @{ StartAt = 'Boom'; States = @{ Boom = @{ Type = 'Fail'; Error = 'Custom.Broken'; Cause = 'the test asked for it' } } }
        'Short.asl.json'              = @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 2; Next = 'Done' }; Done = @{ Type = 'Succeed' } } }
        'Slow.asl.json'               = @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 6000; End = $true } } }
        'TimesOut.asl.json'           = @{ StartAt = 'Pause'; TimeoutSeconds = 1; States = @{ Pause = @{ Type = 'Wait'; Seconds = 6000; End = $true } } }
        'HelloExpress.express.asl.json' = @{ StartAt = 'Greet'; States = @{ Greet = @{ Type = 'Pass'; Result = @{ greeting = 'express' }; End = $true } } }
    }
    foreach ($file in $machines.Keys) {
        $machines[$file] | ConvertTo-Json -Depth 10 | Set-Content -Path (Join-Path $Path $file)
    }
}

<#
Users and roles: 'reader' may only describe (a denied user); 'starter' may only start and describe executions; 'assumer' may only
assume roles; role Runner may do everything; role
Untrusted trusts nobody we sign as (AssumeRole is denied).
#>
function New-TestAccessConfig {
    param([Parameter(Mandatory)][string]$Path)
    @{
        defaultUser = $true
        users       = @(
            @{ name = 'reader'; accessKeyId = 'AKIAREADERONLY000001'; secretAccessKey = 'readerSecretKey/Example0000000000000000'; actions = @('states:Describe*', 'states:List*') }
            # The two permissions the seed's extension needed: no states:DescribeStateMachine.
            @{ name = 'starter'; accessKeyId = 'AKIASTARTERONLY00001'; secretAccessKey = 'starterSecretKey/Example000000000000000'; actions = @('states:StartExecution', 'states:DescribeExecution') }
            # May only assume roles: a call that works with its keys worked through a role.
            @{ name = 'assumer'; accessKeyId = 'AKIAASSUMERONLY00001'; secretAccessKey = 'assumerSecretKey/Example0000000000000000'; actions = @('sts:AssumeRole') }
        )
        roles       = @(
            @{ roleArn = "arn:aws:iam::$($script:Account):role/Runner"; actions = @('states:*') }
            @{ roleArn = "arn:aws:iam::$($script:Account):role/Untrusted"; trustedPrincipals = @("arn:aws:iam::$($script:Account):user/nobody"); actions = @('states:*') }
        )
    } | ConvertTo-Json -Depth 10 | Set-Content -Path $Path
}

function Get-ReaderCredential { Get-TestCredential -AccessKeyId 'AKIAREADERONLY000001' -Secret 'readerSecretKey/Example0000000000000000' }

<# Starts the endpoint with the test definitions and users; Wait states run 10 times faster. #>
function Start-TestEndpoint {
    param([Parameter(Mandatory)][string]$WorkDirectory, [double]$TimeScale = 10)
    $definitions = Join-Path $WorkDirectory 'definitions'
    $config = Join-Path $WorkDirectory 'access.json'
    New-TestDefinitions -Path $definitions
    New-TestAccessConfig -Path $config
    Start-LocalEndpoint -Arguments @('--definitions', $definitions, '--config', $config, '--time-scale', "$TimeScale")
}

<#
Calls a Step Functions operation with a hand-signed SigV4 request, for what neither the module nor Debian's AWS CLI v2
can do (it predates RedriveExecution, versions and aliases). The keys are the public documentation example; nothing is
logged. An error answer throws, carrying the service's JSON.
#>
function Invoke-SignedStepFunctions {
    param(
        [Parameter(Mandatory, Position = 0)]$Endpoint, [Parameter(Mandatory)][string]$Operation, [Parameter(Mandatory)][hashtable]$Body,
        [string]$Region = $script:Region
    )
    $json = $Body | ConvertTo-Json -Compress -Depth 10
    $now = [DateTime]::UtcNow
    $amzDate = $now.ToString('yyyyMMddTHHmmssZ', [Globalization.CultureInfo]::InvariantCulture)
    $day = $now.ToString('yyyyMMdd', [Globalization.CultureInfo]::InvariantCulture)
    $uri = [Uri]$Endpoint.Url
    $hex = { param([byte[]]$bytes) -join ($bytes | ForEach-Object { $_.ToString('x2') }) }
    $sha = { param([string]$text) & $hex ([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($text))) }
    $hmac = { param([byte[]]$key, [string]$text) [Security.Cryptography.HMACSHA256]::HashData($key, [Text.Encoding]::UTF8.GetBytes($text)) }
    $target = "AWSStepFunctions.$Operation"
    $signed = 'content-type;host;x-amz-date;x-amz-target'
    $canonical = "POST`n/`n`ncontent-type:application/x-amz-json-1.0`nhost:$($uri.Authority)`nx-amz-date:$amzDate`nx-amz-target:$target`n`n$signed`n$(& $sha $json)"
    $scope = "$day/$Region/states/aws4_request"
    $toSign = "AWS4-HMAC-SHA256`n$amzDate`n$scope`n$(& $sha $canonical)"
    $key = [Text.Encoding]::UTF8.GetBytes("AWS4$($script:SecretAccessKey)")
    foreach ($part in $day, $Region, 'states', 'aws4_request') { $key = & $hmac $key $part }
    $signature = & $hex (& $hmac $key $toSign)
    $headers = @{
        'X-Amz-Date' = $amzDate; 'X-Amz-Target' = $target
        Authorization = "AWS4-HMAC-SHA256 Credential=$($script:AccessKeyId)/$scope, SignedHeaders=$signed, Signature=$signature"
    }
    Invoke-RestMethod -Uri $uri -Method Post -Headers $headers -ContentType 'application/x-amz-json-1.0' -Body $json -NoProxy -SkipHeaderValidation
}

<# Creates a state machine of its own on the endpoint (signed by hand, not through the module under test); returns its ARN. #>
function New-EndpointStateMachine {
    param([Parameter(Mandatory, Position = 0)]$Endpoint, [Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][hashtable]$Definition)
    (Invoke-SignedStepFunctions $Endpoint -Operation CreateStateMachine -Body @{
        name = $Name; definition = ($Definition | ConvertTo-Json -Depth 10 -Compress); roleArn = 'arn:aws:iam::123456789012:role/LocalStepFunctions' }).stateMachineArn
}

function Get-EndpointCounters {
    param([Parameter(Mandatory)]$Endpoint)
    Invoke-RestMethod -Uri "$($Endpoint.Url)/_local/counters" -Method Get
}

function Get-EndpointRequestCount {
    param([Parameter(Mandatory)]$Endpoint)
    $counters = Get-EndpointCounters $Endpoint
    [int](@($counters.PSObject.Properties | ForEach-Object { [int]$_.Value }) | Measure-Object -Sum).Sum
}

function Reset-EndpointCounters {
    param([Parameter(Mandatory)]$Endpoint)
    Invoke-RestMethod -Uri "$($Endpoint.Url)/_local/counters/reset" -Method Post | Out-Null
}

<# A port nothing listens on: bound, read, released. #>
function Get-ClosedPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $port
}

<#
Starts UeStepFunctionTask.ps1 with `pwsh -File` in a fresh process, the way a Universal Agent does.
-Environment sets variables for the child only. Finish it with Wait-TaskScript.
#>
function Start-TaskScript {
    param([string[]]$Arguments = @(), [hashtable]$Environment = @{}, [string]$ScriptPath = (Get-TaskScriptPath), [string]$WorkingDirectory,
        # Leaves stdout unread (Stdout is then the reader itself): a task whose output is larger than the pipe stays in its write.
        [switch]$HoldStdout)
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    # A clean AWS environment: nothing from the developer's shell leaks into the child.
    foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SFN', 'AWS_ENDPOINT_URL_STS', 'HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy') {
        [void]$psi.Environment.Remove($name)
    }
    # Never reach a real instance metadata service or a developer's ~/.aws from a test.
    $psi.Environment['AWS_EC2_METADATA_DISABLED'] = 'true'
    $psi.Environment['AWS_SHARED_CREDENTIALS_FILE'] = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-credentials'
    $psi.Environment['AWS_CONFIG_FILE'] = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-config'
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = [string]$Environment[$key] }
    $process = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process = $process
        Stdout  = if ($HoldStdout) { $process.StandardOutput } else { $process.StandardOutput.ReadToEndAsync() }
        Stderr  = $process.StandardError.ReadToEndAsync()
    }
}

<# Waits for a Start-TaskScript child: ExitCode, Json (parsed stdout), Stdout, Stderr. #>
function Wait-TaskScript {
    param([Parameter(Mandatory)]$Task, [int]$TimeoutSeconds = 60)
    if (-not $Task.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Task.Process.Kill($true)
        throw "UeStepFunctionTask.ps1 did not finish within $TimeoutSeconds s. stdout: $($Task.Stdout.Result)"
    }
    $Task.Process.WaitForExit()
    $text = $Task.Stdout.Result
    $json = $null
    try { $json = $text | ConvertFrom-Json } catch { $json = $null }
    [pscustomobject]@{ ExitCode = $Task.Process.ExitCode; Json = $json; Stdout = $text; Stderr = $Task.Stderr.Result }
}

function Invoke-TaskScript {
    param([string[]]$Arguments = @(), [hashtable]$Environment = @{}, [int]$TimeoutSeconds = 60)
    Wait-TaskScript -Task (Start-TaskScript -Arguments $Arguments -Environment $Environment) -TimeoutSeconds $TimeoutSeconds
}

<#
The wrapper's usual arguments against a test endpoint, default credentials on the command line.
-Set replaces (or adds) fields, e.g. @{ StateMachineArn = 'not-an-arn' }: a field given twice would be
a PowerShell binding error, not the wrapper's validation.
#>
function Get-TaskArguments {
    param([Parameter(Mandatory)]$Endpoint, [Parameter(Mandatory)][string]$Machine, [switch]$NoCredentials, [hashtable]$Set = @{})
    $fields = [ordered]@{ StateMachineArn = (Get-StateMachineArn $Machine); Region = $script:Region; EndpointUrl = $Endpoint.Url; PollingInterval = '0.2' }
    if (-not $NoCredentials) { $fields.CredentialsUser = $script:AccessKeyId; $fields.CredentialsPassword = $script:SecretAccessKey }
    foreach ($key in $Set.Keys) { $fields[$key] = $Set[$key] }
    foreach ($key in $fields.Keys) { "-$key"; [string]$fields[$key] }
}

<# '-Name', 'value' pairs (as for pwsh -File) -> a hashtable to splat in-process. #>
function ConvertTo-ParameterTable {
    param([string[]]$Arguments)
    $table = @{}
    for ($i = 0; $i -lt $Arguments.Count; $i += 2) { $table[$Arguments[$i].TrimStart('-')] = $Arguments[$i + 1] }
    $table
}

<#
Script text for a child pwsh that has imported the module: it waits until the import-time warm-up has ended (the core's
Prewarm.HasFinished, set however the warm-up ended, or at once when it is switched off) and throws if it has not within
-TimeoutSeconds. A fixed sleep could not tell a warm-up that is off from one that is slow. The core lives in the module's
own load context, where a [TypeName] literal does not reach, so the type is asked of that context.
#>
function Get-PrewarmWaitScript {
    param([int]$TimeoutSeconds = 30)
    @"
`$prewarmContext = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { `$_.GetType().Name -eq 'DependencyLoadContext' } | Select-Object -First 1
`$prewarm = `$prewarmContext.LoadFromAssemblyName([Reflection.AssemblyName]::new('AwsStepFunctions.Core')).GetType('AwsStepFunctions.Core.Prewarm')
`$prewarmDeadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
while (-not `$prewarm::HasFinished -and [DateTime]::UtcNow -lt `$prewarmDeadline) { Start-Sleep -Milliseconds 50 }
if (-not `$prewarm::HasFinished) { throw 'the import-time warm-up did not finish within $TimeoutSeconds s' }
"@
}

<# Connection parameters for the cmdlets against a test endpoint. #>
function Get-ConnectionParameters {
    param([Parameter(Mandatory)]$Endpoint, [pscredential]$Credential = (Get-TestCredential))
    @{ Region = $script:Region; EndpointUrl = $Endpoint.Url; Credential = $Credential }
}

<# Runs the AWS CLI v2 (Debian's, installed by .ci/run) against a test endpoint with the default keys, nothing from the
   developer's environment; its JSON answer as objects. #>
function Invoke-AwsCli {
    param([Parameter(Mandatory)]$Endpoint, [Parameter(Mandatory)][string[]]$Arguments)
    $saved = @{}
    $environment = @{
        AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
        AWS_DEFAULT_REGION = 'us-east-1'; AWS_PAGER = ''; AWS_SESSION_TOKEN = $null; AWS_PROFILE = $null
        AWS_CONFIG_FILE = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-config'
        AWS_SHARED_CREDENTIALS_FILE = Join-Path ([IO.Path]::GetTempPath()) 'no-such-aws-credentials'
    }
    # $null removes the variable (an empty value would still name, say, an empty AWS profile).
    $set = { param([string]$Name, $Value) if ($null -eq $Value) { Remove-Item "env:$Name" -ErrorAction SilentlyContinue } else { Set-Item "env:$Name" ([string]$Value) } }
    foreach ($name in $environment.Keys) {
        $saved[$name] = (Get-Item "env:$name" -ErrorAction SilentlyContinue).Value
        & $set $name $environment[$name]
    }
    try {
        $text = & /usr/bin/aws @Arguments --endpoint-url $Endpoint.Url --output json 2>&1
        if ($LASTEXITCODE -ne 0) { throw "aws $($Arguments -join ' ') exited $LASTEXITCODE`: $text" }
        ($text -join "`n") | ConvertFrom-Json
    }
    finally {
        foreach ($name in $saved.Keys) { & $set $name $saved[$name] }
    }
}

Export-ModuleMember -Function *-*
