# Secrets (issue 4): every cmdlet and the wrapper, on success and on the failure paths, with -Verbose -Debug, all
# streams captured, a transcript on, and every output and error record dumped (tests/fixtures/Invoke-SecretsScenario.ps1
# in a child pwsh). The secret keys, a real session token issued by the endpoint's AssumeRole and the proxy
# passwords must appear nowhere; the invocation fields show ****.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'Secrets'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-secrets'
    $script:Marker = 'sec' + [Guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:SetupError = $null
    $script:OutputsError = $null

    # Fresh random secrets every run, so a hit can only come from this run.
    function New-Secret { param([string]$Prefix) $Prefix + [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(24)).Replace('+', 'p').Replace('/', 's').Replace('=', '') }
    function New-KeyId { 'AKIA' + (-join (1..16 | ForEach-Object { [char[]]'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567' | Get-Random })) }
    $script:Secrets = [ordered]@{
        'secret access key'        = New-Secret 'Sk/'
        'wrong secret access key'  = New-Secret 'Wk/'
        'reader secret access key' = New-Secret 'Rk/'
        'proxy password'           = New-Secret 'Pp-'
        'wrong proxy password'     = New-Secret 'Wp-'
    }
    $accessKey = New-KeyId
    $readerKey = New-KeyId
    $roleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilitySecrets"
    $briefRoleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilitySecretsBrief"
    try {
        $config = Join-Path $script:Dir 'access.json'
        @{
            defaultUser = $false
            users       = @(
                @{ name = 'secrets-user'; accessKeyId = $accessKey; secretAccessKey = $script:Secrets['secret access key']; actions = @('states:*', 'sts:AssumeRole') }
                @{ name = 'secrets-reader'; accessKeyId = $readerKey; secretAccessKey = $script:Secrets['reader secret access key']; actions = @('states:Describe*', 'states:List*') }
            )
            roles       = @(
                @{ roleArn = $roleArn; actions = @('states:*'); durationSeconds = 900 }
                # Sessions of one second: its token is expired by the time the scenario uses it.
                @{ roleArn = $briefRoleArn; actions = @('states:*'); durationSeconds = 1 }
            )
        } | ConvertTo-Json -Depth 6 | Set-Content $config
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir -ConfigPath $config
        $script:Proxy = Start-TinyProxy -Directory $script:Dir -Name 'secrets' -User 'secretsproxy' -Password $script:Secrets['proxy password']

        # Real session tokens, issued by the endpoint's AssumeRole to the AWS CLI.
        function Get-SessionCredential { param([string]$Role)
            $sts = Invoke-CapturedProcess -TimeoutSeconds 60 -Command @('/usr/bin/aws', 'sts', 'assume-role', '--endpoint-url', $script:Endpoint.Url,
                '--role-arn', $Role, '--role-session-name', 'secrets-test', '--output', 'json') -Environment @{
                AWS_ACCESS_KEY_ID = $accessKey; AWS_SECRET_ACCESS_KEY = $script:Secrets['secret access key']; AWS_DEFAULT_REGION = 'us-east-1'
                AWS_CONFIG_FILE = '/dev/null'; AWS_SHARED_CREDENTIALS_FILE = '/dev/null'; AWS_PAGER = '' }
            if ($sts.ExitCode -ne 0) { throw "aws sts assume-role $Role failed: $($sts.StdErr)" }
            ($sts.StdOut | ConvertFrom-Json).Credentials
        }
        $session = Get-SessionCredential $roleArn
        $script:Secrets['session secret access key'] = $session.SecretAccessKey
        $script:Secrets['session token'] = $session.SessionToken
        $expired = Get-SessionCredential $briefRoleArn
        $script:Secrets['expired session secret access key'] = $expired.SecretAccessKey
        $script:Secrets['expired session token'] = $expired.SessionToken

        $outDir = Join-Path $script:Dir 'out'
        New-Item -ItemType Directory $outDir | Out-Null
        $scenario = Join-Path $PSScriptRoot 'fixtures/Invoke-SecretsScenario.ps1'
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $scenario,
            '-Manifest', $script:K.ManifestPath, '-WrapperPath', $script:K.WrapperPath, '-EndpointUrl', $script:Endpoint.Url,
            '-StateMachinePrefix', "arn:aws:states:us-east-1:$($script:K.Account):stateMachine", '-RoleArn', $roleArn,
            '-ProxyUrl', $script:Proxy.Url, '-DownProxyUrl', "http://127.0.0.1:$(Get-FreeTcpPort)",
            '-ClosedEndpointUrl', "http://127.0.0.1:$(Get-FreeTcpPort)", '-OutputDirectory', $outDir, '-Marker', $script:Marker)
        $script:Run = Invoke-CapturedProcess -Command $command -TimeoutSeconds 400 -Environment @{
            REL_ACCESS_KEY = $accessKey; REL_SECRET = $script:Secrets['secret access key']; REL_WRONG_SECRET = $script:Secrets['wrong secret access key']
            REL_READER_KEY = $readerKey; REL_READER_SECRET = $script:Secrets['reader secret access key']
            REL_PROXY_USER = 'secretsproxy'; REL_PROXY_PASSWORD = $script:Secrets['proxy password']; REL_WRONG_PROXY_PASSWORD = $script:Secrets['wrong proxy password']
            REL_SESSION_KEY = $session.AccessKeyId; REL_SESSION_SECRET = $session.SecretAccessKey; REL_SESSION_TOKEN = $session.SessionToken
            REL_EXPIRED_KEY = $expired.AccessKeyId; REL_EXPIRED_SECRET = $expired.SecretAccessKey; REL_EXPIRED_TOKEN = $expired.SessionToken
            AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_CONFIG_FILE = (Join-Path $script:Dir 'none'); AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Dir 'none')
        }
        function Read-Out { param([string]$Name) $p = Join-Path $outDir $Name; if (Test-Path $p) { [System.IO.File]::ReadAllText($p) } else { '' } }
        $script:Places = [ordered]@{
            'stdout and stderr' = $script:Run.StdOut + "`n" + $script:Run.StdErr
            'transcript'        = Read-Out 'transcript.txt'
            'output JSON'       = Read-Out 'outputs.json'
            'error records'     = Read-Out 'errors.txt'
        }
        $script:Summary = @(if ((Read-Out 'summary.json').Trim()) { (Read-Out 'summary.json') | ConvertFrom-Json })
        # outputs.json is the outputs as one JSON array, then each output's own ToJson(); the array is what is checked.
        # A file that does not parse keeps its reason, so the masking test says why it found no outputs.
        $script:Outputs = @(if ((Read-Out 'outputs.json').Trim()) {
                try { ((Read-Out 'outputs.json') -split "`n(?=\{)")[0] | ConvertFrom-Json }
                catch { $script:OutputsError = "outputs.json is not the JSON array the scenario writes: $($_.Exception.Message)" }
            })
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    function Get-ScenarioCode { param([string]$Name) ($script:Summary | Where-Object scenario -eq $Name | Select-Object -First 1).exit_code }
}

AfterAll {
    foreach ($c in $script:Proxy, $script:Endpoint) { if ($c) { $c.Stop() } }
    Update-ReliabilityDocument
    # The temp folder holds this run's secrets (transcript, config): never leave it behind.
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'The scenarios really ran their paths' {
    # Without these, "no secret found" could mean "nothing ran".
    It '<Name> ends with exit <Code>' -ForEach @(
        @{ Name = 'Start -Wait through an authenticated proxy'; Code = 0 }
        @{ Name = 'Get-UeStepFunctionResult'; Code = 0 }
        @{ Name = 'Wait-UeStepFunction'; Code = 0 }
        @{ Name = 'Start (no wait) of a long execution'; Code = 0 }
        @{ Name = 'Stop-UeStepFunction'; Code = 0, 24 }
        @{ Name = 'Start -Wait with -RoleArn (AssumeRole session)'; Code = 0 }
        @{ Name = 'Start with a session token from the environment'; Code = 0 }
        @{ Name = 'wrong secret key'; Code = 2 }
        @{ Name = 'access denied'; Code = 3 }
        @{ Name = 'wrong proxy password'; Code = 11 }
        @{ Name = 'proxy down'; Code = 11 }
        @{ Name = 'endpoint down'; Code = 10 }
        @{ Name = 'bad input'; Code = 20 }
        @{ Name = 'execution FAILED'; Code = 23 }
        @{ Name = 'throttled beyond the retry budget'; Code = 1 }
        @{ Name = 'response slower than the request timeout'; Code = 10 }
        @{ Name = 'expired session token'; Code = 2 }
        @{ Name = 'stop an execution that does not exist'; Code = 20 }
        @{ Name = 'wrapper: success, PSCredentials'; Code = 0 }
        @{ Name = 'wrapper: success, credentials as text fields'; Code = 0 }
        @{ Name = 'wrapper: wrong secret key'; Code = 2 }
        @{ Name = 'wrapper: wrong proxy password'; Code = 11 }
        @{ Name = 'wrapper: bad input'; Code = 20 }
        @{ Name = 'wrapper: session token from the environment'; Code = 0 }
    ) {
        # Stop-UeStepFunction's own code may be 0 (the stop worked) or 24 (the execution is ABORTED): either proves the path ran.
        Invoke-ReliabilityCase -Area $script:Area -Case "path ran: $Name" -Expected "exit $($Code -join ' or ')" -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $observedCode = Get-ScenarioCode $Name
            $row.Observed = "exit $observedCode"
            $observedCode | Should -BeIn $Code
        }
    }
}

Describe 'No secret anywhere' {
    It 'the captures are live (they hold this run''s verbose output and execution names)' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'captures are live' -Expected 'transcript, stdout and JSON hold the run marker; verbose output present' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $live = foreach ($place in 'stdout and stderr', 'transcript', 'output JSON') { if ($script:Places[$place].Contains($script:Marker)) { $place } }
            $transcript = $script:Places['transcript']
            $probes = @('VERBOSE', 'DEBUG', 'WARNING' | Where-Object { $transcript.Contains("$($_): $($script:Marker) $($_.ToLowerInvariant()) probe") })
            # Not asserted: how much the module itself says under -Verbose/-Debug (the more it says, the more this test covers).
            $moduleLines = @(($transcript -split "`n") | Where-Object { $_ -match '^(VERBOSE|DEBUG):' -and $_ -notmatch 'probe$' }).Count
            $row.Observed = "marker in: $(@($live) -join ', '); stream probes in transcript: $($probes -join ', '); module verbose/debug lines: $moduleLines"
            @($live).Count | Should -Be 3
            $probes.Count | Should -Be 3
        }
    }

    It 'no secret in <Place>' -ForEach @(
        @{ Place = 'stdout and stderr' }, @{ Place = 'transcript' }, @{ Place = 'output JSON' }, @{ Place = 'error records' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "no secret in $Place" `
            -Expected 'none of: secret keys (right, wrong, reader, session, expired session), session tokens (live, expired), proxy passwords (right, wrong)' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            $text = $script:Places[$Place]
            $leaks = Find-SecretLeak -Secrets ([hashtable]$script:Secrets) -Places @{ $Place = $text }
            $row.Observed = "$($text.Length) characters searched for $($script:Secrets.Count) secrets: $(if ($leaks) { 'LEAKED ' + ($leaks -join ', ') } else { 'none found' })"
            $text.Length | Should -BeGreaterThan 0
            @($leaks) | Should -BeNullOrEmpty
        }
    }

    It 'the invocation fields show **** for every credential given' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'invocation fields masked' `
            -Expected 'credentials_* and proxy_credentials_* are **** (or null when not given) in every output' -Body {
            param($row)
            if ($script:SetupError) { throw $script:SetupError }
            if ($script:OutputsError) { throw $script:OutputsError }
            $withFields = @($script:Outputs | Where-Object { $_.invocation -and $_.invocation.fields })
            $bad = foreach ($o in $withFields) {
                foreach ($f in 'credentials_user', 'credentials_password', 'proxy_credentials_user', 'proxy_credentials_password') {
                    $v = $o.invocation.fields.$f
                    if ($null -ne $v -and $v -ne '****') { "$f='$v'" }
                }
            }
            $masked = @($withFields | Where-Object { $_.invocation.fields.credentials_password -eq '****' }).Count
            $proxyMasked = @($withFields | Where-Object { $_.invocation.fields.proxy_credentials_password -eq '****' }).Count
            $row.Observed = "$($withFields.Count) outputs; $masked with credentials ****, $proxyMasked with proxy credentials ****; unmasked: $(@($bad).Count)"
            $withFields.Count | Should -BeGreaterThan 10
            @($bad) | Should -BeNullOrEmpty
            $masked | Should -BeGreaterThan 5
            $proxyMasked | Should -BeGreaterThan 3
        }
    }
}
