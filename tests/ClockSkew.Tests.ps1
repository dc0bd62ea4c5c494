# A machine whose clock is wrong, as Universal Agents on drifting VMs have: the local endpoint runs its clock 20 minutes
# ahead of or behind this machine's (--clock-offset), which is what such a machine meets at AWS. Signatures are checked
# against the endpoint's clock, its answers carry it in their Date header, and STS states session expiries by it. The
# built module runs in fresh child processes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force -Function Get-ChildPwshCommand, Invoke-CapturedProcess
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "skew-$([guid]::NewGuid().ToString('n'))"
    $definitions = Join-Path $script:Work 'definitions'
    New-TestDefinitions -Path $definitions
    $config = Join-Path $script:Work 'access.json'
    @{
        roles = @(
            # Sessions shorter than the clocks' difference: by this machine's clock each one has ended (or not begun) when issued.
            @{ roleArn = 'arn:aws:iam::123456789012:role/Runner'; actions = @('states:*'); durationSeconds = 600 }
            # Sessions of seconds, to see several renewals in one call loop.
            @{ roleArn = 'arn:aws:iam::123456789012:role/Brief'; actions = @('states:*'); durationSeconds = 8 }
            # Web identity, with sessions as short as Runner's.
            @{ roleArn = 'arn:aws:iam::123456789012:role/Workload'; actions = @('states:*'); durationSeconds = 600; webIdentityTokens = @('skew-web-identity-token') }
        )
    } | ConvertTo-Json -Depth 5 | Set-Content $config
    $script:Endpoints = @{}
    foreach ($clock in @{ Name = 'ahead'; Seconds = 1200 }, @{ Name = 'behind'; Seconds = -1200 }) {
        $script:Endpoints[$clock.Name] = Start-LocalEndpoint -Arguments @('--definitions', $definitions, '--config', $config,
            '--time-scale', '10', '--clock-offset', "$($clock.Seconds)")
    }

    function Get-Requests($Endpoint) { @((Invoke-RestMethod "$($Endpoint.Url)/_local/requests").requests) }
    function Clear-Requests($Endpoint) { Invoke-RestMethod -Method Delete "$($Endpoint.Url)/_local/requests" | Out-Null }
    function Get-Refused($Endpoint) { @(Get-Requests $Endpoint | Where-Object { $_.statusCode -ne 200 }) }
    # Refusals for the signing time: Step Functions answers InvalidSignatureException, STS SignatureDoesNotMatch.
    function Get-RefusedForTime($Endpoint) { @(Get-Refused $Endpoint | Where-Object { $_.errorCode -in 'InvalidSignatureException', 'SignatureDoesNotMatch' }) }
    function Get-Issued($Endpoint) { @(Get-Requests $Endpoint | Where-Object { $_.operation -eq 'AssumeRole' -and $_.statusCode -eq 200 }).Count }

    # One fresh session: -Calls starts of Hello, one every -IntervalMs, as -RoleArn if given; the first with -Debug.
    function Invoke-ModuleSession($Endpoint, [int]$Calls, [int]$IntervalMs = 0, [string]$RoleArn) {
        $child = {
            param($Manifest, $Url, $Machine, $Calls, $IntervalMs, $RoleArn)
            Import-Module $Manifest
            $env:AWS_ENDPOINT_URL_STS = $Url
            $role = if ($RoleArn) { @{ RoleArn = $RoleArn } } else { @{} }
            $debug = @(Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url @role -Debug 5>&1 | Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message)
            $exits = @(0)
            for ($i = 1; $i -lt $Calls; $i++) {
                Start-Sleep -Milliseconds $IntervalMs
                $exits += try { (Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url @role -ErrorAction Stop).exit_code } catch { "$($_.Exception.Message)" }
            }
            [pscustomobject]@{ Exits = $exits; Debug = $debug } | ConvertTo-Json -Compress -Depth 3
        }
        $command = @(Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command',
            "& { $child } '$(Get-ModuleManifestPath)' '$($Endpoint.Url)' '$(Get-StateMachineArn Hello)' $Calls $IntervalMs '$RoleArn'")
        $run = Invoke-CapturedProcess -Command $command -TimeoutSeconds 120 -Environment @{
            AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
            AWS_EC2_METADATA_DISABLED = 'true'; AWS_CONFIG_FILE = (Join-Path $script:Work 'no-config'); AWS_SHARED_CREDENTIALS_FILE = (Join-Path $script:Work 'no-credentials')
        }
        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $run.StdOut | ConvertFrom-Json
    }
}

AfterAll {
    foreach ($endpoint in $script:Endpoints.Values) { $endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue }
}

Describe 'A machine whose clock is 20 minutes off' {
    BeforeEach { foreach ($endpoint in $script:Endpoints.Values) { Clear-Requests $endpoint } }

    It 'the service''s clock <Clock>: the Universal task starts and waits (exit 0), after exactly one request refused for its signing time' -ForEach @(
        @{ Clock = 'ahead'; Refusal = 'Signature expired: *' }
        @{ Clock = 'behind'; Refusal = 'Signature not yet current: *' }
    ) {
        $endpoint = $script:Endpoints[$Clock]
        $run = Invoke-TaskScript -Arguments (Get-TaskArguments -Endpoint $endpoint -Machine Hello -Set @{ WaitForSuccessOrFailure = 'true' })
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.Status | Should -Be 'SUCCEEDED'
        $refused = Get-Refused $endpoint
        $refused.Count | Should -Be 1
        $refused[0].errorCode | Should -Be 'InvalidSignatureException'
    }

    It 'the service''s clock <_>: one session corrects its clock once, and every later call is accepted the first time' -ForEach 'ahead', 'behind' {
        $endpoint = $script:Endpoints[$_]
        $session = Invoke-ModuleSession $endpoint -Calls 4
        $session.Exits | Should -Be @(0, 0, 0, 0)
        (Get-Refused $endpoint).Count | Should -Be 1
        @(Get-Requests $endpoint | Where-Object { $_.operation -eq 'StartExecution' -and $_.statusCode -eq 200 }).Count | Should -Be 4
    }

    It 'the service''s clock <_>, -RoleArn with sessions shorter than the difference: the session''s expiry is read by the service''s clock (exit 0, one AssumeRole)' -ForEach 'ahead', 'behind' {
        # Before: with the service behind, every AssumeRole answered a session that had "already expired" by this machine's
        # clock, and every call failed with exit 2.
        $endpoint = $script:Endpoints[$_]
        $run = Invoke-TaskScript -Arguments (Get-TaskArguments -Endpoint $endpoint -Machine Hello -Set @{ RoleArn = 'arn:aws:iam::123456789012:role/Runner' }) -Environment @{ AWS_ENDPOINT_URL_STS = $endpoint.Url }
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        Get-Issued $endpoint | Should -Be 1
        (Get-Refused $endpoint).Count | Should -Be 1 -Because 'the first request (AssumeRole) corrects the clock for every later one'
        (Get-RefusedForTime $endpoint).Count | Should -Be 1
    }

    It 'the service''s clock <_>, web identity with sessions shorter than the difference: AssumeRoleWithWebIdentity''s expiry is read by its clock (exit 0)' -ForEach 'ahead', 'behind' {
        # The call is unsigned, so nothing refuses it for its time: only the Date header of its answer tells.
        $endpoint = $script:Endpoints[$_]
        $tokenFile = Join-Path $script:Work 'web-token'
        Set-Content -Path $tokenFile -Value 'skew-web-identity-token' -NoNewline
        $run = Invoke-TaskScript -Arguments (Get-TaskArguments -Endpoint $endpoint -Machine Hello -NoCredentials) -Environment @{
            AWS_WEB_IDENTITY_TOKEN_FILE = $tokenFile; AWS_ROLE_ARN = 'arn:aws:iam::123456789012:role/Workload'; AWS_ROLE_SESSION_NAME = 'skew'
            AWS_ENDPOINT_URL_STS = $endpoint.Url
        }
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        @(Get-Requests $endpoint | Where-Object { $_.operation -eq 'AssumeRoleWithWebIdentity' -and $_.statusCode -eq 200 }).Count | Should -Be 1
        # The SDK also sets its signing clock from that answer, so even the start is accepted the first time.
        Get-Refused $endpoint | Should -BeNullOrEmpty
    }

    It 'the service''s clock <_>, 8-second role sessions for 16 s: renewed before each expiry by the service''s clock, no call fails and none is refused as expired; -Debug says how far the clocks differ' -ForEach 'ahead', 'behind' {
        # Before: with the service ahead, each session was kept 20 minutes past its end and every renewal cost a request
        # refused as ExpiredTokenException; with the service behind, every call failed.
        $endpoint = $script:Endpoints[$_]
        $session = Invoke-ModuleSession $endpoint -Calls 32 -IntervalMs 500 -RoleArn 'arn:aws:iam::123456789012:role/Brief'
        @($session.Exits | Where-Object { $_ -ne 0 }) | Should -BeNullOrEmpty
        (Get-Refused $endpoint).Count | Should -Be 1 -Because 'the first request (AssumeRole) corrects the clock for every later one'
        (Get-RefusedForTime $endpoint).Count | Should -Be 1
        # One session per 6 s of use (renewed a quarter of its 8 s before its end) over about 16 s of calls.
        Get-Issued $endpoint | Should -BeGreaterOrEqual 3
        Get-Issued $endpoint | Should -BeLessOrEqual 6
        $direction = if ($_ -eq 'ahead') { 'ahead of' } else { 'behind' }
        ($session.Debug -join "`n") | Should -Match "AssumeRole answered in .* by this machine's clock \(the service's clock is 1[12]\d\d s $direction this machine's\)"
    }
}
