# The four cmdlets against the local endpoint over real HTTP with real SigV4: outputs, names, masking,
# the pipeline, -WhatIf, errors, Ctrl+C and tab completion.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint
    $script:Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    <# Every execution the endpoint stored for a machine (its control plane: not the module under test). #>
    function Get-StoredExecution([string]$Machine) {
        (Invoke-RestMethod "$($script:Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString($Machine))").executions
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Start-UeStepFunction' {
    It 'starts an execution with a generated name ending in -1 and reports exit code 0' {
        $out = Start-UeStepFunction -StateMachineArn (Get-StateMachineArn Hello) @script:Conn
        $out.exit_code | Should -Be 0
        $out.status_description | Should -BeLike 'SUCCESS:*'
        $out.changed | Should -BeTrue
        $out.result.ExecutionArn | Should -BeLike "arn:aws:states:us-east-1:123456789012:execution:Hello:*-1"
        $out.result.Name | Should -Match '^[0-9A-Za-z_-]{1,80}$'
        $out.result.Name | Should -BeLike '*-1'
    }

    It 'says with -Verbose where, as whom and through what it connects, and no secret' {
        $verbose = @(Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $connection = @($verbose | Where-Object Message -like 'Step Functions at *')
        $connection.Count | Should -Be 1
        $connection[0].Message | Should -Match ('^Step Functions at ' + [regex]::Escape($script:Conn.EndpointUrl.TrimEnd('/')) + ', region us-east-1; credentials: the access key given \(-Credential\); proxy: ')
        $connection[0].Message | Should -Match 'request timeout 100 s'
        foreach ($record in $verbose) {
            $record.Message | Should -Not -Match ([regex]::Escape($script:Secret))
            $record.Message | Should -Not -Match $script:Conn.Credential.UserName
        }
    }

    It 'warns once that -Timeout or -StopOnCancel given without -Wait are ignored (a polling interval alone is harmless), and starts anyway' {
        $records = @(Start-UeStepFunction (Get-StateMachineArn Hello) -PollingInterval 0.5 -Timeout 30 -StopOnCancel @script:Conn 3>&1)
        $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Be '-Timeout, -StopOnCancel apply only with -Wait: ignored, the execution is started and not waited for.'
        @($records | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })[0].result.Status | Should -Be 'RUNNING'
        @(Start-UeStepFunction (Get-StateMachineArn Hello) -Wait -PollingInterval 0.1 -Timeout 30 @script:Conn 3>&1 |
            Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        @(Start-UeStepFunction (Get-StateMachineArn Hello) -StopOnCancel:$false -PollingInterval 5 @script:Conn 3>&1 |
            Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
    }

    It 'refuses an out-of-range <Name> without -Wait too, before any request (exit 20, naming the parameter)' -ForEach @(
        @{ Name = '-PollingInterval'; Call = @{ PollingInterval = -1 }; Message = '-PollingInterval must be greater than 0 *(got -1).' }
        @{ Name = '-Timeout'; Call = @{ Timeout = 0 }; Message = '-Timeout must be greater than 0 *(got 0).' }
        @{ Name = '-UnreachableTimeout'; Call = @{ UnreachableTimeout = -3 }; Message = '-UnreachableTimeout must be greater than 0 *(got -3).' }
    ) {
        $name = "range-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $name @Call @script:Conn -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
        $failed.Count | Should -Be 1
        # Not also "ignored without -Wait": the value is refused.
        $warned.Count | Should -Be 0
        $failed[0].Exception.Message | Should -BeLike $Message
        $failed[0].TargetObject.exit_code | Should -Be 20
        @(Get-StoredExecution (Get-StateMachineArn Hello) | Where-Object name -like "$name*").Count | Should -Be 0
    }

    It 'says, when a public endpoint''s host does not resolve, that its region is not one the AWS SDK knows (a typo), exit 10' {
        # states.us-eest-1.amazonaws.com exists nowhere, so this fails at the resolver whatever the network; nothing reaches AWS.
        $typo = 'arn:aws:states:us-eest-1:123456789012:stateMachine:Hello'
        $null = Start-UeStepFunction $typo -Credential $script:Conn.Credential -RequestTimeout 5 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].TargetObject.exit_code | Should -Be 10
        $failed[0].Exception.Message | Should -BeLike "Cannot reach the endpoint: the endpoint's host name could not be resolved (*states.us-eest-1.amazonaws.com*). The region 'us-eest-1' is not one the AWS SDK knows: check -Region, or the region in the ARN."
    }

    It 'refuses -Input with half a surrogate pair for that record only (exit 20, JSON still writable), and starts the others' {
        $broken = '{"e":"' + [char]0xD800 + '"}'
        $records = @($broken, '{}', '{"k":1}') | ForEach-Object { [pscustomobject]@{ StateMachineArn = (Get-StateMachineArn Hello); Input = $_ } }
        $records.Count | Should -Be 3
        $out = @($records | Start-UeStepFunction @script:Conn -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 2
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidExecutionInput,*'
        $failed[0].Exception.Message | Should -BeLike '*U+D800 at character 6*'
        $failed[0].TargetObject.exit_code | Should -Be 20
        ($failed[0].TargetObject.ToJson() | ConvertFrom-Json).exit_code | Should -Be 20
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName ('run' + [char]0xDC00) @script:Conn -ErrorVariable badName -ErrorAction SilentlyContinue
        $badName[0].FullyQualifiedErrorId | Should -BeLike 'InvalidExecutionName,*'
        ($badName[0].TargetObject.ToJson() | ConvertFrom-Json).exit_code | Should -Be 20
    }

    It 'words its errors in parameter names and points them at the value at fault, while the output keeps the task''s field names' {
        $hello = Get-StateMachineArn Hello
        $cases = @(
            @{ Call = @{ Wait = $true; Timeout = -5 }; Message = '-Timeout must be greater than 0 *(got -5).'; Field = 'timeout must be *'; About = '-Timeout' }
            @{ Call = @{ Wait = $true; UnreachableTimeout = -1 }; Message = '-UnreachableTimeout must be greater than 0 *(got -1).'; Field = 'unreachable_timeout must be *'; About = '-UnreachableTimeout' }
            @{ Call = @{ Proxy = 'http://127.0.0.1:9'; ProxyType = 'HttpsWithCredentials' }; Message = '-ProxyCredential must be set when -ProxyType is HttpsWithCredentials.'
                Field = 'proxy_credentials_user must be set when proxy_type is HttpsWithCredentials.'; About = '-ProxyCredential' }
            @{ Call = @{ Region = 'not a region' }; Message = "-Region 'not a region' must look like 'us-east-1'*"; Field = "region 'not a region' must look like*"; About = 'not a region' }
        )
        foreach ($case in $cases) {
            $call = $script:Conn.Clone()
            foreach ($k in $case.Call.Keys) { $call[$k] = $case.Call[$k] }
            $err = $null
            try { Start-UeStepFunction $hello @call -ErrorAction Stop } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because "$($case.Call.Keys)"
            $err.Exception.Message | Should -BeLike $case.Message
            $err.TargetObject.status_description | Should -BeLike "DATA_VALIDATION_ERROR: $($case.Field)"
            $err.CategoryInfo.TargetName | Should -Be $case.About
        }
        # A quoted value is the user's text: a name that looks like a field stays as typed.
        $odd = $hello -replace 'Hello\w*$', 'run_count x'
        try { Start-UeStepFunction $odd @script:Conn -ErrorAction Stop } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike "-StateMachineArn '$odd' has an invalid state machine name 'run_count x'*"
    }

    It 'throws errors that catch by type: [AwsStepFunctions.UeStepFunctionException], with the exit code, error id and field' {
        $caught = $null
        try { Start-UeStepFunction 'not-an-arn' @script:Conn -ErrorAction Stop }
        catch [AwsStepFunctions.UeStepFunctionException] { $caught = $_ }
        catch { throw "the typed catch did not match: $($_.Exception.GetType().FullName)" }
        $caught.Exception.ExitCode | Should -Be 20
        $caught.Exception.ErrorId | Should -Be 'InvalidStateMachineArn'
        $caught.Exception.Field | Should -Be 'state_machine_arn'
        $caught.Exception.Message | Should -Be $caught.ToString()
        # A set-up failure (terminating) and an execution that FAILED as well.
        $setup = try { Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Proxy 'not a url' } catch [AwsStepFunctions.UeStepFunctionException] { $_.Exception.ExitCode }
        $setup | Should -Be 20
        $failed = try { Start-UeStepFunction (Get-StateMachineArn Fails) -Wait -PollingInterval 0.1 @script:Conn -ErrorAction Stop } catch [AwsStepFunctions.UeStepFunctionException] { $_.Exception }
        $failed.ExitCode | Should -Be 23
        $failed.ErrorId | Should -Be 'ExecutionFailed'
    }

    It 'takes several state machine ARNs in one -StateMachineArn: one start each, as if piped, a bad one failing alone' {
        $out = @(Start-UeStepFunction -StateMachineArn (Get-StateMachineArn Hello), 'not-an-arn', (Get-StateMachineArn Short) @script:Conn -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 2
        $out[0].result.StateMachineArn | Should -Be (Get-StateMachineArn Hello)
        $out[1].result.StateMachineArn | Should -Be (Get-StateMachineArn Short)
        $out[0].invocation.fields.state_machine_arn | Should -Be (Get-StateMachineArn Hello)
        $out[1].invocation.fields.state_machine_arn | Should -Be (Get-StateMachineArn Short)
        $failed.Count | Should -Be 1
        $failed[0].TargetObject.invocation.fields.state_machine_arn | Should -Be 'not-an-arn'
    }

    It 'says changed=false, with a warning, for a record that names an execution this call already started' {
        # Same machine, name and input twice: Step Functions answers the second start with the running first's ARN.
        foreach ($throttle in 1, 2) {
            $name = "twice-$throttle-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $records = @(@((Get-StateMachineArn Slow), (Get-StateMachineArn Slow)) | Start-UeStepFunction -ExecutionName $name -ThrottleLimit $throttle @script:Conn 3>&1)
            $outputs = @($records | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
            $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $outputs.Count | Should -Be 2
            @($outputs.result.ExecutionArn | Sort-Object -Unique).Count | Should -Be 1
            $outputs.changed | Should -Be @($true, $false)
            $outputs.exit_code | Should -Be @(0, 0)
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Be "Execution $name-1 was already started by this call (the same state machine, name and input): Step Functions started it once, and this record changed nothing."
            @(Get-StoredExecution (Get-StateMachineArn Slow) | Where-Object name -eq "$name-1").Count | Should -Be 1
            $null = Stop-UeStepFunction $outputs[0] @script:Conn -Confirm:$false
        }
    }

    It 'generates a different name on every run' {
        $a = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        $b = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        $a.result.Name | Should -Not -Be $b.result.Name
    }

    It 'appends -<RunCount> to -ExecutionName, refuses a base that cannot keep it within 80 characters, and generates a name for a blank one' {
        $base = "nightly$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        (Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $base -RunCount 3 @script:Conn).result.Name | Should -Be "$base-3"
        $fits = 'y' * 77 + [guid]::NewGuid().ToString('n').Substring(0, 1)
        (Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $fits @script:Conn).result.Name | Should -Be "$fits-1"
        # Cut to fit, 'x...a' and 'x...b' would name one execution: the second start would be reported without starting anything.
        $long = 'x' * 79 + [guid]::NewGuid().ToString('n').Substring(0, 1)
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $long -RunCount 12 @script:Conn -ErrorVariable tooLong -ErrorAction SilentlyContinue
        $tooLong.Count | Should -Be 1
        $tooLong[0].Exception.ExitCode | Should -Be 20
        $tooLong[0].Exception.Message | Should -Be "-ExecutionName is 80 characters; with the suffix '-12' (-RunCount 12) it may have at most 77, so that the execution name stays within 80."
        @(Get-UeStepFunctionExecution (Get-StateMachineArn Hello) -Name "$($long.Substring(0, 20))*" @script:Conn).Count | Should -Be 0
        # A blank name is no name, as the help says: one is generated.
        (Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName '   ' @script:Conn).result.Name | Should -Match '^ue-\d{8}T\d{6}-[0-9a-f]{16}-1$'
    }

    It 'refuses an -EndpointUrl with a query or fragment before any request (it would be signed and answered as a key mismatch)' {
        Reset-EndpointCounters $script:Endpoint
        foreach ($url in "$($script:Endpoint.Url)/?x=1", "$($script:Endpoint.Url)/#frag") {
            # A connection setting that cannot work ends the call (terminating), as every bad connection setting does.
            $badUrl = $null
            try { $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -EndpointUrl $url } catch { $badUrl = $_ }
            $badUrl.Exception.ExitCode | Should -Be 20
            $badUrl.Exception.Message | Should -BeLike "-EndpointUrl '$url' must not carry a *"
        }
        Get-EndpointRequestCount $script:Endpoint | Should -Be 0
    }

    It 'takes a batch file''s RunCount column by property name' {
        $name = "batch$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $started = [pscustomobject]@{ StateMachineArn = (Get-StateMachineArn Hello); ExecutionName = $name; RunCount = '7' } | Start-UeStepFunction @script:Conn
        $started.result.Name | Should -Be "$name-7"
    }

    It 'treats blank connection parameters as unset and warns of ignored ones' {
        $started = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Region '  ' -ProfileName ' ' -ProxyCaBundleFile ' ' -WarningVariable blankWarnings
        $started.result.Status | Should -Be 'RUNNING'
        $blankWarnings.Count | Should -Be 0
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -ProfileName nosuch -ProxyType Https -WarningVariable ignored
        @($ignored | ForEach-Object Message) | Should -Be @('-ProfileName is ignored: -Credential gives the credentials.', '-ProxyType is ignored: without -Proxy no proxy is used.')
    }

    It 'sends a hashtable -Input as JSON, deeply' {
        $input = @{ batch = 42; nested = @{ level2 = @{ level3 = @{ level4 = 'deep' } } } }
        $out = Start-UeStepFunction (Get-StateMachineArn Hello) -Input $input -Wait -PollingInterval 0.2 @script:Conn
        $out.exit_code | Should -Be 0
        $sent = $out.invocation.fields['input'] | ConvertFrom-Json
        $sent.nested.level2.level3.level4 | Should -Be 'deep'
    }

    It 'waits for SUCCEEDED and reports the output' {
        $out = Start-UeStepFunction (Get-StateMachineArn Short) -Wait -PollingInterval 0.2 @script:Conn
        $out.exit_code | Should -Be 0
        $out.result.Status | Should -Be 'SUCCEEDED'
        $out.result.StopDate | Should -Not -BeNullOrEmpty
    }

    It 'runs an EXPRESS machine with -Wait through StartSyncExecution' {
        Reset-EndpointCounters $script:Endpoint
        $out = Start-UeStepFunction (Get-StateMachineArn HelloExpress) -Wait -PollingInterval 0.2 @script:Conn
        $out.exit_code | Should -Be 0
        $out.result.Status | Should -Be 'SUCCEEDED'
        ($out.result.Output | ConvertFrom-Json).greeting | Should -Be 'express'
        (Get-EndpointCounters $script:Endpoint).StartSyncExecution | Should -Be 1
    }

    It 'refuses to read, wait for or stop an EXPRESS execution, which the service keeps no state for, before any request' {
        $started = Start-UeStepFunction (Get-StateMachineArn HelloExpress) @script:Conn
        $started.result.ExecutionArn | Should -BeLike '*:express:HelloExpress:*'
        Reset-EndpointCounters $script:Endpoint
        $null = $started | Get-UeStepFunctionResult @script:Conn -ErrorVariable +refused -ErrorAction SilentlyContinue
        $null = $started | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn -ErrorVariable +refused -ErrorAction SilentlyContinue
        $null = $started | Stop-UeStepFunction -Confirm:$false @script:Conn -ErrorVariable +refused -ErrorAction SilentlyContinue
        # An EXPRESS execution has no Map Runs to list either: refused the same way, not sent.
        $null = Get-UeStepFunctionMapRun $started.result.ExecutionArn @script:Conn -ErrorVariable +mapRuns -ErrorAction SilentlyContinue
        $mapRuns.Count | Should -Be 1
        $mapRuns[0].FullyQualifiedErrorId | Should -BeLike 'ExpressExecutionNotTracked,*'
        $refused.Count | Should -Be 3
        foreach ($refusal in $refused) {
            $refusal.TargetObject.exit_code | Should -Be 20
            $refusal.FullyQualifiedErrorId | Should -BeLike 'ExpressExecutionNotTracked,*'
            $refusal.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $refusal.Exception.Message | Should -BeLike "*'$($started.result.ExecutionArn)' is an EXPRESS execution*CloudWatch Logs."
        }
        $refused[0].Exception.Message | Should -BeLike '*cannot be read or waited for*-Wait: StartSyncExecution*'
        $refused[1].Exception.Message | Should -BeLike '*cannot be read or waited for*-Wait: StartSyncExecution*'
        $refused[2].Exception.Message | Should -BeLike '*cannot be stopped*ends on its own within 5 minutes*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be 0
    }

    It 'reports a FAILED execution as output (23) and as an ExecutionFailed error' {
        $out = Start-UeStepFunction (Get-StateMachineArn Fails) -Wait -PollingInterval 0.2 @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $out.exit_code | Should -Be 23
        $out.result.Error | Should -Be 'Custom.Broken'
        $out.result.Cause | Should -Be 'the test asked for it'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionFailed,*'
        $failures[0].TargetObject.exit_code | Should -Be 23
        # The output keeps the seed's words; the error also says which execution and why.
        $failures[0].TargetObject.status_description | Should -Be 'FAILED: Step Function is in FAILED state.'
        $failures[0].Exception.Message | Should -BeLike "*$($out.result.ExecutionArn)*Custom.Broken*the test asked for it*"
        $failures[0].CategoryInfo.TargetName | Should -Be $out.result.ExecutionArn
        "$out" | Should -Be $out.result.ExecutionArn
    }

    It 'takes an empty -Input (an empty CSV cell) as no input' {
        $out = Start-UeStepFunction (Get-StateMachineArn Hello) -Input '' -Wait -PollingInterval 0.1 @script:Conn
        $out.exit_code | Should -Be 0
        $out.invocation.fields['input'] | Should -BeNullOrEmpty
        (Get-UeStepFunctionResult $out @script:Conn).result.Input | Should -Be '{}'
    }

    It '-WhatIf sends no request at all' {
        Reset-EndpointCounters $script:Endpoint
        $out = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -WhatIf
        $out | Should -BeNullOrEmpty
        Get-EndpointRequestCount $script:Endpoint | Should -Be 0
    }

    It 'masks credentials in the output and its JSON' {
        $out = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        $out.invocation.fields['credentials_user'] | Should -Be '****'
        $out.invocation.fields['credentials_password'] | Should -Be '****'
        $json = $out.ToJson()
        $json | Should -Not -Match ([regex]::Escape($script:Secret))
        $json | Should -Not -Match 'AKIAIOSFODNN7EXAMPLE'
        ($json | ConvertFrom-Json).invocation.fields.credentials_password | Should -Be '****'
    }

    It 'names every seed field, masks proxy credentials and spells the proxy type as the seed does' {
        $proxyLogin = Get-TestCredential -AccessKeyId 'proxyuser' -Secret 'proxy-secret-value'
        # Invalid input fails before any request, so the proxy is never contacted; the error still carries the output.
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Input '{not json' @script:Conn -Proxy 'http://127.0.0.1:9' `
            -ProxyType HttpsWithCredentials -ProxyCredential $proxyLogin -ErrorVariable failures -ErrorAction SilentlyContinue
        $fields = $failures[0].TargetObject.invocation.fields
        @($fields.Keys) | Should -Be @('action', 'credentials_password', 'credentials_user', 'execution_name', 'input', 'polling_interval',
            'proxy', 'proxy_ca_bundle_file', 'proxy_credentials_password', 'proxy_credentials_user', 'proxy_type', 'region',
            'role_arn', 'role_based_access', 'state_machine_arn', 'use_proxy', 'wait_for_success_or_failure')
        $fields['use_proxy'] | Should -BeTrue
        $fields['proxy'] | Should -Be 'http://127.0.0.1:9'
        $fields['proxy_type'] | Should -Be 'https with credentials'
        $fields['proxy_credentials_user'] | Should -Be '****'
        $fields['proxy_credentials_password'] | Should -Be '****'
        $failures[0].TargetObject.ToJson() | Should -Not -Match 'proxyuser|proxy-secret-value'
    }

    It 'rejects invalid JSON input before any call (InvalidArgument, exit code 20)' {
        Reset-EndpointCounters $script:Endpoint
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Input '{not json' @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject.exit_code | Should -Be 20
        $failures[0].TargetObject.status_description | Should -BeLike 'DATA_VALIDATION_ERROR:*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be 0
    }

    It 'maps a wrong secret to AuthenticationError with a stable error id' {
        $wrong = Get-TestCredential -Secret 'not-the-right-secret-0000000000000000000'
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Region us-east-1 -EndpointUrl $script:Endpoint.Url -Credential $wrong -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $failures[0].TargetObject.exit_code | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -Not -BeLike 'NotSpecified*'
        "$($failures[0])" | Should -Not -Match ([regex]::Escape('not-the-right-secret'))
    }

    It 'refuses an object that is not plain data as -Input, naming it, and starts nothing' {
        $machine = Get-StateMachineArn Hello
        $before = @(Get-StoredExecution $machine).Count
        $file = Get-Item $PSCommandPath
        $null = Start-UeStepFunction $machine -Input $file @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidExecutionInput,*'
        $failures[0].TargetObject.exit_code | Should -Be 20
        "$($failures[0])" | Should -BeLike '*input is a System.IO.FileInfo, which ConvertTo-Json would expand*'
        $null = Start-UeStepFunction $machine -Input @{ files = @($file) } @script:Conn -ErrorVariable nested -ErrorAction SilentlyContinue
        "$($nested[0])" | Should -Match ([regex]::Escape("input['files'][0] is a System.IO.FileInfo"))
        $null = Start-UeStepFunction $machine -Input @{ 1 = 'x' } @script:Conn -ErrorVariable keyed -ErrorAction SilentlyContinue
        "$($keyed[0])" | Should -BeLike '*has the key 1 of type Int32; JSON keys are strings*'
        $null = Start-UeStepFunction $machine -Input ([xml]'<a><b/></a>') @script:Conn -ErrorVariable xml -ErrorAction SilentlyContinue
        "$($xml[0])" | Should -BeLike '*input is XML*'
        @(Get-StoredExecution $machine).Count | Should -Be $before
        # Plain data of every kind still goes through.
        $ok = Start-UeStepFunction $machine -Input @{ big = [bigint]'12345678901234567890'; when = [datetime]'2026-01-02'; link = [uri]'https://example.com/'; none = $null } @script:Conn
        $ok.exit_code | Should -Be 0
    }

    It 'reads the lines of a JSON file (Get-Content without -Raw) as that document' {
        $path = Join-Path $script:Work 'input.json'
        Set-Content -Path $path -Value "{`n  `"orderId`": `"A-1`",`n  `"n`": 1`n}"
        $out = Start-UeStepFunction (Get-StateMachineArn Hello) -Input (Get-Content $path) -Wait -PollingInterval 0.2 @script:Conn
        $out.invocation.fields.input | ConvertFrom-Json | ForEach-Object { $_.orderId; $_.n } | Should -Be 'A-1', 1
        # Lines that are not one JSON document stay an array of strings, as ConvertTo-Json writes them.
        $lines = Start-UeStepFunction (Get-StateMachineArn Hello) -Input @('a', 'b') @script:Conn
        $lines.invocation.fields.input | Should -BeExactly '["a","b"]'
        # Lines that start like a JSON document but do not parse are refused, not sent as an array of lines.
        Set-Content -Path $path -Value "{`n  `"orderId`": `"A-1`",`n}"
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Input (Get-Content $path) @script:Conn -ErrorVariable broken -ErrorAction SilentlyContinue
        "$($broken[0])" | Should -BeLike '*start like a JSON document but do not parse*'
    }

    It 'takes no execution name from a piped listing''s Name (the AWS CLI''s list-state-machines, twice): each start gets a generated one' {
        $machine = @((Invoke-AwsCli $script:Endpoint @('stepfunctions', 'list-state-machines')).stateMachines | Where-Object name -EQ 'Hello')
        $machine.Count | Should -Be 1
        $first = $machine | Start-UeStepFunction @script:Conn -ErrorAction Stop
        $second = $machine | Start-UeStepFunction @script:Conn -ErrorAction Stop
        $first.result.Name | Should -Match '^ue-\d{8}T\d{6}-[0-9a-f]{16}-1$'
        $second.result.Name | Should -Not -Be $first.result.Name
        # A property named ExecutionName still binds (the rows of Import-Csv).
        $row = [pscustomobject]@{ StateMachineArn = (Get-StateMachineArn Hello); ExecutionName = "csv-$([guid]::NewGuid().ToString('n'))" }
        ($row | Start-UeStepFunction @script:Conn -ErrorAction Stop).result.Name | Should -BeExactly "$($row.ExecutionName)-1"
    }

    It 'names the execution that holds the name as ExecutionAlreadyExists''s target, not the state machine' {
        $name = "taken-$([guid]::NewGuid().ToString('n'))"
        $done = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $name -Wait -PollingInterval 0.1 @script:Conn
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName $name @script:Conn -ErrorVariable taken -ErrorAction SilentlyContinue
        $taken[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionAlreadyExists,*'
        $taken[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $taken[0].CategoryInfo.TargetName | Should -BeExactly $done.result.ExecutionArn
        $taken[0].Exception.Target | Should -BeExactly $done.result.ExecutionArn
        $taken[0].Exception.Field | Should -Be 'execution_name'
    }

    It 'names in a connection setting''s error the parameter that needs another, and the value at fault' {
        $cases = @(
            @{ Extra = @{ ExternalId = 'abc' }; Message = '-RoleArn must be given when -ExternalId is set.' }
            @{ Extra = @{ RoleSessionName = 'audit' }; Message = '-RoleArn must be given when -RoleSessionName is set.' }
            @{ Extra = @{ ExternalId = 'abc'; RoleSessionName = 'audit' }; Message = '-RoleArn must be given when -ExternalId and -RoleSessionName are set.' }
            @{ Extra = @{ ProxyCaBundleFile = '/nowhere/ca.pem' }; Message = '-Proxy must be given when -ProxyCaBundleFile is set.' }
            @{ Extra = @{ ProxyType = 'HttpsWithCredentials' }; Message = '-Proxy must be given when -ProxyType is HttpsWithCredentials.' }
            @{ Extra = @{ ProxyCredential = (Get-TestCredential -AccessKeyId 'proxyuser' -Secret 'proxy-secret-value') }; Message = '-Proxy must be given when -ProxyCredential is set.' }
        )
        foreach ($case in $cases) {
            $extra = $case.Extra
            $failure = $null
            try { $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn @extra -ErrorAction Stop }
            catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty -Because ($extra.Keys -join ', ')
            $failure.Exception.Message | Should -BeExactly $case.Message
            $failure.Exception.ExitCode | Should -Be 20
        }
        try { $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Proxy 'not a proxy' -ErrorAction Stop }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidProxy,*'
        $failure.CategoryInfo.TargetName | Should -BeExactly 'not a proxy'
        $profile = "nosuch-$([guid]::NewGuid().ToString('n'))"
        try { $null = Start-UeStepFunction (Get-StateMachineArn Hello) -EndpointUrl $script:Conn.EndpointUrl -Region us-east-1 -ProfileName $profile -ErrorAction Stop }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound,*'
        $failure.Exception.Message | Should -BeExactly "-ProfileName '$profile' names no profile with credentials in the shared AWS credentials or config files."
    }

    It '-WhatIf and -Confirm come after validation: a bad field is an error, not a question' {
        $before = Get-EndpointRequestCount $script:Endpoint
        $null = Start-UeStepFunction 'not-an-arn' @script:Conn -WhatIf -ErrorVariable startErrors -ErrorAction SilentlyContinue 6>&1
        $startErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidStateMachineArn,*'
        $null = Stop-UeStepFunction 'not-an-arn' @script:Conn -WhatIf -ErrorVariable stopErrors -ErrorAction SilentlyContinue
        $stopErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidExecutionArn,*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $before
    }

    It '-WhatIf judges the connection parameters as the run would: <Name> is refused, not approved' -ForEach @(
        @{ Name = 'an -EndpointUrl with a query'; Call = @{ EndpointUrl = 'http://127.0.0.1:9/?q=1' }; Id = 'InvalidEndpointUrl' }
        @{ Name = 'a -RequestTimeout above 3600'; Call = @{ RequestTimeout = 3601 }; Id = 'InvalidRequestTimeout' }
    ) {
        $before = Get-EndpointRequestCount $script:Endpoint
        $connection = $script:Conn.Clone()
        foreach ($key in $Call.Keys) { $connection[$key] = $Call[$key] }
        $hello = Get-StateMachineArn Hello
        # A connection that cannot be used ends the call (a terminating error), with -WhatIf as without it.
        $said = $null
        { $script:said = @(Start-UeStepFunction $hello @connection -WhatIf 6>&1) } | Should -Throw -ErrorId "$Id,*" -PassThru |
            ForEach-Object { $_.TargetObject.exit_code | Should -Be 20 }
        @($script:said | Where-Object { "$_" -like 'What if:*' }).Count | Should -Be 0
        { Stop-UeStepFunction "arn:aws:states:us-east-1:123456789012:execution:Hello:none" @connection -WhatIf } | Should -Throw -ErrorId "$Id,*"
        { Restart-UeStepFunction "arn:aws:states:us-east-1:123456789012:execution:Hello:none" @connection -WhatIf } | Should -Throw -ErrorId "$Id,*"
        Get-EndpointRequestCount $script:Endpoint | Should -Be $before
    }

    It 'puts what the views show at the top (status, name, ARN, dates, output, error, cause) for Where-Object, Sort-Object and Export-Csv' {
        $runs = @(
            Start-UeStepFunction (Get-StateMachineArn Hello) -Wait -PollingInterval 0.2 @script:Conn
            Start-UeStepFunction (Get-StateMachineArn Fails) -Wait -PollingInterval 0.2 @script:Conn -ErrorAction SilentlyContinue)
        @($runs | Where-Object Status -EQ 'FAILED').Count | Should -Be 1
        ($runs | Where-Object Status -EQ 'SUCCEEDED').Name | Should -BeExactly $runs[0].result.Name
        ($runs | Select-Object -ExpandProperty ExecutionArn) | Should -Be $runs.result.ExecutionArn
        # What the list view shows is selectable, sortable and exported as values, not type names.
        @($runs | Sort-Object StartDate -Descending)[0].StartDate | Should -Be ($runs.result.StartDate | Sort-Object -Descending)[0]
        ($runs | Where-Object Status -EQ 'FAILED').Error | Should -Be 'Custom.Broken'
        ($runs | Where-Object Status -EQ 'FAILED').Cause | Should -Be 'the test asked for it'
        ($runs | Where-Object Status -EQ 'SUCCEEDED').Output | Should -Be $runs[0].result.Output
        $csv = @($runs | Select-Object Status, StartDate, StopDate, Error | ConvertTo-Csv | ConvertFrom-Csv)
        $csv[1].Error | Should -Be 'Custom.Broken'
        [DateTimeOffset]::Parse($csv[0].StopDate).ToUnixTimeSeconds() | Should -Be $runs[0].result.StopDate.ToUnixTimeSeconds()
        # The Extension Output's JSON keeps its own shape.
        ($runs[0].ToJson() | ConvertFrom-Json).PSObject.Properties.Name | Should -Be 'exit_code', 'status_description', 'changed', 'invocation', 'result'
    }

    It 'goes to the ARN''s region without -Region, and refuses a -Region that differs before any request' {
        $arn = Get-StateMachineArn Hello
        $noRegion = @{ EndpointUrl = $script:Endpoint.Url; Credential = $script:Conn.Credential }
        (Start-UeStepFunction $arn @noRegion).exit_code | Should -Be 0
        # A region in capitals is the same region (names are lower case in AWS and in the signature's scope).
        (Start-UeStepFunction $arn @noRegion -Region ' US-East-1').invocation.fields.region | Should -BeExactly 'us-east-1'
        $before = Get-EndpointRequestCount $script:Endpoint
        $null = Start-UeStepFunction $arn @noRegion -Region eu-west-1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RegionMismatch,*'
        $failures[0].TargetObject.exit_code | Should -Be 20
        "$($failures[0])" | Should -BeLike "*is in region 'us-east-1', but this call goes to 'eu-west-1' (-Region)*"
        # Without -Region, each ARN goes to its own region, within one call: a CSV of several regions works. The local
        # endpoint is us-east-1 and refuses a request signed for another region as AWS's regional endpoints do: its answer
        # shows that the second call was signed for eu-west-1.
        $other = 'arn:aws:states:eu-west-1:123456789012:execution:Hello:x'
        $read = Get-UeStepFunctionResult -ExecutionArn @((Start-UeStepFunction $arn @noRegion).ExecutionArn, $other) @noRegion -ErrorVariable mixed -ErrorAction SilentlyContinue
        @($read).Count | Should -Be 1
        $mixed[0].FullyQualifiedErrorId | Should -Not -BeLike 'RegionMismatch*'
        $mixed[0].Exception.Message | Should -BeLike "*Credential should be scoped to a valid region, not 'eu-west-1'*"
        Get-EndpointRequestCount $script:Endpoint | Should -Be ($before + 3)
    }

    It 'maps a user without permission to PermissionDenied' {
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Region us-east-1 -EndpointUrl $script:Endpoint.Url -Credential (Get-ReaderCredential) -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].TargetObject.exit_code | Should -Be 3
    }
}

Describe 'Wait-UeStepFunction, Get-UeStepFunctionResult and Stop-UeStepFunction' {
    It 'Get reports a running execution without waiting' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        $now = Get-UeStepFunctionResult -ExecutionArn $started.result.ExecutionArn @script:Conn
        $now.result.Status | Should -Be 'RUNNING'
        $now.exit_code | Should -Be 0
        $now.changed | Should -BeFalse
        $null = Stop-UeStepFunction $started.result.ExecutionArn @script:Conn -Confirm:$false
    }

    It 'Stop -Force stops without asking, in a session that would ask; -Force -WhatIf still sends nothing' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        $saved = $ConfirmPreference
        try {
            $ConfirmPreference = 'High'
            Reset-EndpointCounters $script:Endpoint
            $null = Stop-UeStepFunction $started.result.ExecutionArn @script:Conn -Force -WhatIf
            Get-EndpointRequestCount $script:Endpoint | Should -Be 0
            $stopped = Stop-UeStepFunction $started.result.ExecutionArn @script:Conn -Force
        } finally { $ConfirmPreference = $saved }
        $stopped.changed | Should -BeTrue
        $stopped.result.Status | Should -Be 'ABORTED'
    }

    It 'Stop aborts the execution and Wait then reports 24' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        $stopped = Stop-UeStepFunction -ExecutionArn $started.result.ExecutionArn -Error 'Test.Stop' -Cause 'stopped by a test' @script:Conn -Confirm:$false
        # The output reports the execution's state, so a stopped one carries ABORTED's code, 24.
        $stopped.exit_code | Should -Be 24
        $stopped.changed | Should -BeTrue
        $stopped.result.Status | Should -Be 'ABORTED'
        $waited = Wait-UeStepFunction $started.result.ExecutionArn -PollingInterval 0.2 @script:Conn -ErrorAction SilentlyContinue -ErrorVariable failures
        $waited.exit_code | Should -Be 24
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionAborted,*'
    }

    It 'Stop of an execution that has already ended changes nothing and says so' {
        $done = Start-UeStepFunction (Get-StateMachineArn Hello) -Wait -PollingInterval 0.1 @script:Conn
        $out = Stop-UeStepFunction $done @script:Conn -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $out.changed | Should -BeFalse
        $out.exit_code | Should -Be 0
        $out.result.Status | Should -Be 'SUCCEEDED'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*had already ended SUCCEEDED*'
    }

    It 'a second Stop of the same execution says it had already ended ABORTED, and sends no StopExecution' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        $first = Stop-UeStepFunction $started @script:Conn -Confirm:$false
        $first.changed | Should -BeTrue
        $first.Status | Should -Be 'ABORTED'
        $stopsBefore = (Get-EndpointCounters $script:Endpoint).StopExecution
        $second = Stop-UeStepFunction $started @script:Conn -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $second.changed | Should -BeFalse
        "$($warnings[0])" | Should -BeLike '*had already ended ABORTED*'
        (Get-EndpointCounters $script:Endpoint).StopExecution | Should -Be $stopsBefore
    }

    It 'Stop -WhatIf stops nothing' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        Stop-UeStepFunction $started.result.ExecutionArn @script:Conn -WhatIf
        (Get-UeStepFunctionResult $started.result.ExecutionArn @script:Conn).result.Status | Should -Be 'RUNNING'
        $null = Stop-UeStepFunction $started.result.ExecutionArn @script:Conn -Confirm:$false
    }

    It 'a machine deleted during a wait: a new start is refused with exit 20, and the wait reports the execution failed by the deletion (23)' {
        # The endpoint keeps a deleted STANDARD machine DELETING while an execution runs, and fails that execution at its
        # next state transition, as the service does (the Wait here lasts 5 s at the endpoint's --time-scale 10: long enough
        # for the refused start below to come while it runs, on a loaded machine too).
        $definition = @{ StartAt = 'Hold'; States = @{ Hold = @{ Type = 'Wait'; Seconds = 50; Next = 'Done' }; Done = @{ Type = 'Pass'; End = $true } } } |
            ConvertTo-Json -Depth 5 -Compress
        $name = "Doomed-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $machine = (Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachine -Body @{
                name = $name; definition = $definition; roleArn = 'arn:aws:iam::123456789012:role/Runner' }).stateMachineArn
        $started = Start-UeStepFunction $machine @script:Conn
        $null = Invoke-SignedStepFunctions $script:Endpoint -Operation DeleteStateMachine -Body @{ stateMachineArn = $machine }

        $null = Start-UeStepFunction $machine @script:Conn -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'StateMachineDeleting,*'
        $refused[0].Exception.ExitCode | Should -Be 20
        $refused[0].Exception.Message | Should -BeLike "*being deleted*$machine*"

        $waited = $started | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn -ErrorVariable failed -ErrorAction SilentlyContinue
        $waited.exit_code | Should -Be 23
        $waited.result.Status | Should -Be 'FAILED'
        $waited.result.Error | Should -Be 'States.Runtime'
        $waited.result.Cause | Should -Be "State machine $name has been deleted."
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ExecutionFailed,*'
        # With nothing running any more, the machine is gone.
        $null = Get-UeStepFunctionResult $started @script:Conn
        $null = Start-UeStepFunction $machine @script:Conn -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'StateMachineDoesNotExist,*'
    }

    It 'a callback Task (.waitForTaskToken) keeps the execution running until SendTaskSuccess or SendTaskFailure answers its token' {
        $definition = @{ StartAt = 'Approve'; States = @{ Approve = @{
                    Type = 'Task'; Resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken'; End = $true
                    Parameters = @{ QueueUrl = 'approvals'; MessageBody = @{ 'token.$' = '$$.Task.Token' } } } } } | ConvertTo-Json -Depth 6 -Compress
        $machine = (Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachine -Body @{
                name = "Approval-$([guid]::NewGuid().ToString('n').Substring(0, 8))"; definition = $definition
                roleArn = 'arn:aws:iam::123456789012:role/Runner' }).stateMachineArn
        <# The token the Task handed on. The engine runs on after StartExecution answers, so TaskScheduled may come a little later. #>
        function Get-CallbackToken([string]$ExecutionArn) {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do {
                $events = (Invoke-SignedStepFunctions $script:Endpoint -Operation GetExecutionHistory -Body @{ executionArn = $ExecutionArn }).events
                $scheduled = @($events | Where-Object type -EQ 'TaskScheduled')
                if ($scheduled.Count -gt 0) { return ($scheduled[0].taskScheduledEventDetails.parameters | ConvertFrom-Json).MessageBody.token }
                Start-Sleep -Milliseconds 50
            } while ([DateTime]::UtcNow -lt $deadline)
            throw "Execution $ExecutionArn never scheduled its callback Task"
        }

        $approved = Start-UeStepFunction $machine @script:Conn
        $token = Get-CallbackToken $approved.result.ExecutionArn
        $token | Should -Not -BeNullOrEmpty
        (Get-UeStepFunctionResult $approved @script:Conn).result.Status | Should -Be 'RUNNING'
        $null = Invoke-SignedStepFunctions $script:Endpoint -Operation SendTaskSuccess -Body @{ taskToken = $token; output = '{"approved":true}' }
        $done = $approved | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn
        $done.exit_code | Should -Be 0
        $done.result.Status | Should -Be 'SUCCEEDED'
        ($done.result.Output | ConvertFrom-Json).approved | Should -BeTrue

        $rejected = Start-UeStepFunction $machine @script:Conn
        $null = Invoke-SignedStepFunctions $script:Endpoint -Operation SendTaskFailure -Body @{
            taskToken = (Get-CallbackToken $rejected.result.ExecutionArn); error = 'Approval.Rejected'; cause = 'over budget' }
        $failed = $rejected | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn -ErrorAction SilentlyContinue
        $failed.exit_code | Should -Be 23
        $failed.result.Error | Should -Be 'Approval.Rejected'
        $failed.result.Cause | Should -Be 'over budget'
    }

    It 'Wait reports a machine timeout as 25' {
        $out = Start-UeStepFunction (Get-StateMachineArn TimesOut) @script:Conn | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn -ErrorAction SilentlyContinue
        $out.exit_code | Should -Be 25
        $out.result.Status | Should -Be 'TIMED_OUT'
    }

    It '-Timeout shorter than -PollingInterval reads the status again at the deadline: an execution that ended meanwhile is reported ended' {
        # Short waits 0.2 s here; the first poll, right after the start, finds it RUNNING, and the next would be 10 s later.
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = Start-UeStepFunction (Get-StateMachineArn Short) -Wait -Timeout 2 @script:Conn -ErrorAction Stop
        $out.result.Status | Should -Be 'SUCCEEDED'
        $out.exit_code | Should -Be 0
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 9 -Because 'the wait ends at the deadline, not at the next polling interval'
    }

    It 'Wait -Timeout gives up with a WaitTimeout error and leaves the execution running' {
        $started = Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $waited = $started | Wait-UeStepFunction -Timeout 0.5 -PollingInterval 0.2 @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        # The execution it gave up on is in the output too, as a FAILED one would be.
        $waited.ExecutionArn | Should -BeExactly $started.ExecutionArn
        $waited.exit_code | Should -Not -Be 0
        (Get-UeStepFunctionResult $started @script:Conn).result.Status | Should -Be 'RUNNING'
        $null = Stop-UeStepFunction $started @script:Conn -Confirm:$false
    }

    It 'reports progress while waiting, written on the pipeline thread' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Machine)
                    Import-Module $Manifest
                    Start-UeStepFunction $Machine -Wait -PollingInterval 0.05 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument((Get-StateMachineArn Short))
            $out = $ps.Invoke()
            $ps.Streams.Error.Count | Should -Be 0
            $out[0].result.Status | Should -Be 'SUCCEEDED'
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            # The execution's name is in the title, so that bars of calls in flight together can be told apart.
            $ps.Streams.Progress[0].Activity | Should -Be "Start-UeStepFunction: $($out[0].result.Name)"
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        } finally {
            $ps.Dispose()
        }
    }

    It 'shows how much of -Timeout has passed on the progress bar, and no percentage without one' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Machine)
                    Import-Module $Manifest
                    Start-UeStepFunction $Machine -Wait -PollingInterval 0.05 -Timeout 60 @Conn
                    Start-UeStepFunction $Machine -Wait -PollingInterval 0.05 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument((Get-StateMachineArn Short))
            $out = $ps.Invoke()
            $ps.Streams.Error.Count | Should -Be 0
            $out.Count | Should -Be 2
            $bars = @($ps.Streams.Progress | Where-Object RecordType -eq 'Processing')
            $timed = @($bars | Where-Object Activity -eq "Start-UeStepFunction: $($out[0].result.Name)")
            $untimed = @($bars | Where-Object Activity -eq "Start-UeStepFunction: $($out[1].result.Name)")
            $timed.Count | Should -BeGreaterThan 0
            $untimed.Count | Should -BeGreaterThan 0
            foreach ($bar in $timed) {
                $bar.PercentComplete | Should -BeIn (0..99)
                $bar.SecondsRemaining | Should -BeIn (1..60)
            }
            $timed[-1].SecondsRemaining | Should -BeLessOrEqual $timed[0].SecondsRemaining
            foreach ($bar in $untimed) { $bar.PercentComplete | Should -Be -1; $bar.SecondsRemaining | Should -Be -1 }
        } finally {
            $ps.Dispose()
        }
    }

    It 'an unknown execution is ObjectNotFound' {
        $arn = 'arn:aws:states:us-east-1:123456789012:execution:Hello:does-not-exist'
        $null = Get-UeStepFunctionResult $arn @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject.result | Should -BeNullOrEmpty
    }
}

Describe 'The pipeline' {
    It 'takes several ARNs or outputs as -ExecutionArn, one call each' {
        $outputs = @(1..3 | ForEach-Object { Start-UeStepFunction (Get-StateMachineArn Slow) @script:Conn })
        $arns = @($outputs.result.ExecutionArn)
        $got = @(Get-UeStepFunctionResult $arns @script:Conn)
        @($got.result.ExecutionArn) | Should -Be $arns
        Stop-UeStepFunction -ExecutionArn $arns @script:Conn -WhatIf
        @((Get-UeStepFunctionResult -ExecutionArn $outputs @script:Conn).result.Status | Sort-Object -Unique) | Should -Be @('RUNNING')
        $stopped = @(Stop-UeStepFunction -ExecutionArn $outputs @script:Conn -Confirm:$false)
        @($stopped.result.Status | Sort-Object -Unique) | Should -Be @('ABORTED')
        $waited = @(Wait-UeStepFunction -ExecutionArn $arns -PollingInterval 0.1 @script:Conn -ErrorAction SilentlyContinue)
        @($waited.exit_code | Sort-Object -Unique) | Should -Be @(24)
        @($waited.invocation.fields.execution_arn) | Should -Be $arns
    }

    It 'Start | Wait | Get composes through the Extension Output' {
        $out = Start-UeStepFunction (Get-StateMachineArn Short) @script:Conn |
            Wait-UeStepFunction -PollingInterval 0.2 @script:Conn |
            Get-UeStepFunctionResult @script:Conn
        $out.result.Status | Should -Be 'SUCCEEDED'
        $out.exit_code | Should -Be 0
    }

    It 'takes execution ARNs as strings and state machine ARNs by value' {
        $arns = @(Get-StateMachineArn Hello; Get-StateMachineArn Hello) | Start-UeStepFunction @script:Conn | ForEach-Object { $_.result.ExecutionArn }
        $arns.Count | Should -Be 2
        $results = $arns | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn
        @($results | Where-Object { $_.result.Status -eq 'SUCCEEDED' }).Count | Should -Be 2
    }

    It 'binds an object with an ExecutionArn property, and JSON read back from the task' {
        $started = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        ([pscustomobject]@{ ExecutionArn = $started.result.ExecutionArn } | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn).result.Status | Should -Be 'SUCCEEDED'
        ($started.ToJson() | ConvertFrom-Json | Get-UeStepFunctionResult @script:Conn).result.ExecutionArn | Should -Be $started.result.ExecutionArn
    }
}

Describe '-Debug: a wire trace of every HTTP attempt' {
    BeforeAll {
        function Get-DebugLines([scriptblock]$Call) { @(& $Call 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message) }
        $script:Url = [regex]::Escape($script:Conn.EndpointUrl.TrimEnd('/'))
    }

    It 'writes each request and its answer: operation, attempt, URL, size, status, time and request id; no header, body or key' {
        $lines = Get-DebugLines { $null = Start-UeStepFunction (Get-StateMachineArn Hello) -Input @{ secretish = 'payload-value' } @script:Conn -Debug }
        $wire = @($lines | Where-Object { $_ -like 'StartExecution Hello attempt*' })
        $wire.Count | Should -Be 2
        $wire[0] | Should -Match "^StartExecution Hello attempt 1: POST $script:Url/ \(\d+ bytes\) at \d\d:\d\d:\d\d\.\d{3}$"
        $wire[1] | Should -Match '^StartExecution Hello attempt 1: HTTP 200 in \d+\.\d ms, request id [0-9a-f-]{36}$'
        foreach ($line in $lines) {
            $line | Should -Not -Match ([regex]::Escape($script:Secret))
            $line | Should -Not -Match 'payload-value|Authorization|Signature|AWS4-HMAC'
        }
    }

    It 'shows a retried call as numbered attempts, and the service''s error code with its request id' {
        Reset-EndpointCounters $script:Endpoint
        $fault = @{ operation = 'DescribeExecution'; kind = 'http500'; count = 1 } | ConvertTo-Json
        $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Post -Body $fault -ContentType 'application/json'
        try {
            $started = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
            $lines = Get-DebugLines { $null = Get-UeStepFunctionResult $started @script:Conn -Debug }
        } finally {
            $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Delete
        }
        $answers = @($lines | Where-Object { $_ -match '^DescribeExecution Hello:\S+ attempt \d: HTTP' })
        $answers.Count | Should -Be 2
        $answers[0] | Should -Match "^DescribeExecution Hello:$($started.result.Name) attempt 1: HTTP 500 \S+ in \d+\.\d ms, request id "
        $answers[1] | Should -Match '^DescribeExecution Hello:\S+ attempt 2: HTTP 200 '
        (Get-EndpointCounters $script:Endpoint).DescribeExecution | Should -Be 2
    }

    It 'with -Verbose shows only the attempts that failed, so a retry is never silent' {
        $fault = @{ operation = 'DescribeExecution'; kind = 'http500'; count = 1 } | ConvertTo-Json
        $started = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Post -Body $fault -ContentType 'application/json'
        try {
            $verbose = @(Get-UeStepFunctionResult $started @script:Conn -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        } finally {
            $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Delete
        }
        $wire = @($verbose | Where-Object { $_ -like 'DescribeExecution *attempt*' })
        $wire.Count | Should -Be 1
        $wire[0] | Should -Match '^DescribeExecution Hello:\S+ attempt 1: HTTP 500 '
    }

    It 'names the cause when nothing answers (a closed port), attempt by attempt' {
        $conn = $script:Conn.Clone()
        $conn.EndpointUrl = "http://127.0.0.1:$(Get-ClosedPort)"
        $lines = Get-DebugLines { $null = Get-UeStepFunctionResult 'arn:aws:states:us-east-1:123456789012:execution:Hello:gone' @conn -Debug -ErrorAction SilentlyContinue }
        $failed = @($lines | Where-Object { $_ -match '^DescribeExecution Hello:gone attempt \d: no answer after \d+\.\d ms: \w+: ' })
        $failed.Count | Should -Be 3
        $failed[2] | Should -BeLike 'DescribeExecution Hello:gone attempt 3:*'
    }

    It 'shows when a role is assumed: once, before the first request it signs' {
        $session = "trace$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $role = 'arn:aws:iam::123456789012:role/Runner'
        $first = Get-DebugLines { $null = Start-UeStepFunction (Get-StateMachineArn Hello) -RoleArn $role -RoleSessionName $session @script:Conn -Debug }
        $assumed = @($first | Where-Object { $_ -like 'AssumeRole*' })
        $assumed.Count | Should -Be 2
        $assumed[0] | Should -Match "^AssumeRole $([regex]::Escape($role)) \(session $session\) at \d\d:\d\d:\d\d\.\d{3}$"
        $assumed[1] | Should -Match '^AssumeRole answered in \d+\.\d ms: credentials until \d\d:\d\d:\d\d UTC$'
        [array]::IndexOf($first, $assumed[1]) | Should -BeLessThan ([array]::IndexOf($first, @($first -match '^StartExecution Hello attempt 1: HTTP 200')[0]))
        $again = Get-DebugLines { $null = Start-UeStepFunction (Get-StateMachineArn Hello) -RoleArn $role -RoleSessionName $session @script:Conn -Debug }
        @($again | Where-Object { $_ -like 'AssumeRole*' }).Count | Should -Be 0
    }

    It 'says where a state machine''s type came from when no request was sent for it (read earlier for another call)' {
        $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Wait -PollingInterval 0.1
        $lines = Get-DebugLines { $null = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn -Wait -PollingInterval 0.1 -Debug }
        @($lines | Where-Object { $_ -like 'DescribeStateMachine Hello attempt*' }).Count | Should -Be 0
        @($lines | Where-Object { $_ -match '^DescribeStateMachine Hello: STANDARD, from a read this connection made \d+\.\d s ago \(no request sent\)$' }).Count | Should -Be 1
    }

    It 'follows $DebugPreference, is silent without it, and traces each call of a -ThrottleLimit batch' {
        $arns = @(1..4 | ForEach-Object { (Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn).result.ExecutionArn })
        (Get-DebugLines { $null = $arns | Get-UeStepFunctionResult @script:Conn -ThrottleLimit 4 }).Count | Should -Be 0
        $DebugPreference = 'Continue'
        $lines = Get-DebugLines { $null = $arns | Get-UeStepFunctionResult @script:Conn -ThrottleLimit 4 }
        # Calls in flight together are told apart by the execution each line names.
        foreach ($arn in $arns) {
            $short = [regex]::Escape($arn.Split(':', 7)[6])
            @($lines | Where-Object { $_ -match "^DescribeExecution $short attempt 1: HTTP 200 " }).Count | Should -Be 1
            @($lines | Where-Object { $_ -match "^DescribeExecution $short attempt 1: POST " }).Count | Should -Be 1
        }
    }

    It 'does not turn -Verbose''s lines into prompts: a non-interactive pwsh with -Debug runs to the end' {
        # PowerShell makes the verbose stream of a compiled cmdlet run with -Debug ask "Continue with this operation?" for
        # each line; a host that cannot ask fails the call. Those lines are written as debug lines instead.
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-ModuleManifestPath)'
`$key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', [Net.NetworkCredential]::new('', '$($script:Secret)').SecurePassword)
`$out = Start-UeStepFunction '$(Get-StateMachineArn Hello)' -EndpointUrl '$($script:Endpoint.Url)' -Region us-east-1 -Credential `$key -Wait -PollingInterval 0.1 -Debug
"status=`$(`$out.result.Status)"
"@
        $text = ('' | & (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String)
        $LASTEXITCODE | Should -Be 0
        $text | Should -Match 'status=SUCCEEDED'
        $text | Should -Match 'DEBUG: Step Functions at '
        $text | Should -Not -Match 'Continue with this operation'
    }

    It 'does not turn its warnings into prompts either: with -Debug a warned start still starts, the warning a debug line; -WarningAction keeps it a warning' {
        # Under -Debug PowerShell makes a compiled cmdlet's warnings ask too, unless -WarningAction is given; a start that
        # warned of -Timeout without -Wait failed before its request in a host that cannot ask.
        $name = "dbgwarn$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-ModuleManifestPath)'
`$key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', [Net.NetworkCredential]::new('', '$($script:Secret)').SecurePassword)
`$c = @{ EndpointUrl = '$($script:Endpoint.Url)'; Region = 'us-east-1'; Credential = `$key }
`$out = Start-UeStepFunction '$(Get-StateMachineArn Hello)' -ExecutionName '$name' -Timeout 5 -Debug @c
"status=`$(`$out.result.Status)"
`$null = Start-UeStepFunction '$(Get-StateMachineArn Hello)' -ExecutionName '$name-b' -Timeout 5 -Debug -WarningAction SilentlyContinue -WarningVariable kept @c
"kept=`$(`$kept.Count)"
"@
        $text = ('' | & (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1 | Out-String)
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match 'status=(RUNNING|SUCCEEDED)'
        $text | Should -Match 'DEBUG: WARNING: -Timeout applies only with -Wait: ignored, the execution is started and not waited for\.'
        $text | Should -Match 'kept=1'
        $text | Should -Not -Match 'Continue with this operation'
        @(Get-StoredExecution (Get-StateMachineArn Hello) | Where-Object name -like "$name*").Count | Should -Be 2
    }
}

Describe 'Ctrl+C during a wait' {
    It 'returns within a second, and with -StopOnCancel the execution ends ABORTED' {
        $name = "cancel$([guid]::NewGuid().ToString('n').Substring(0, 10))"
        $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Machine, $Name)
                    Import-Module $Manifest
                    Start-UeStepFunction $Machine -ExecutionName $Name -Wait -PollingInterval 0.2 -StopOnCancel @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument((Get-StateMachineArn Slow)).AddArgument($name)
            $handle = $ps.BeginInvoke()
            # Cancel only once the wait is really under way: the execution exists and is RUNNING.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            $running = $false
            while (-not $running -and [DateTime]::UtcNow -lt $deadline) {
                $state = Get-UeStepFunctionResult $arn @script:Conn -ErrorAction SilentlyContinue
                $running = $state -and $state.result.Status -eq 'RUNNING'
                if (-not $running) { Start-Sleep -Milliseconds 100 }
            }
            $running | Should -BeTrue -Because 'the execution should have started'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            (Get-UeStepFunctionResult $arn @script:Conn).result.Status | Should -Be 'ABORTED'
            # A cancelled call writes nothing: what became of its execution is in that session's $Error.
            $cancelled = $ps.Runspace.SessionStateProxy.GetVariable('Error')[0]
            $cancelled.Exception.Message | Should -Be "The wait was cancelled and execution $arn was stopped."
            $cancelled.Exception.ErrorId | Should -Be 'WaitCancelled'
            $cancelled.CategoryInfo.Category | Should -Be 'OperationStopped'
            $cancelled.TargetObject.result.ExecutionArn | Should -Be $arn
            $cancelled.TargetObject.result.Status | Should -Be 'ABORTED'
        } finally {
            $ps.Dispose()
        }
    }

    It 'without -StopOnCancel the execution keeps running' {
        $name = "keep$([guid]::NewGuid().ToString('n').Substring(0, 10))"
        $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Conn, $Machine, $Name)
                    Import-Module $Manifest
                    # Earlier errors of the session stay: the cancelled call only adds its own ($MaximumErrorCount is not
                    # what PowerShell 7 keeps, so nothing is trimmed by it).
                    1..20 | ForEach-Object { Write-Error "earlier $_" -ErrorAction SilentlyContinue }
                    $MaximumErrorCount = 5
                    Start-UeStepFunction $Machine -ExecutionName $Name -Wait -PollingInterval 0.2 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument($script:Conn).AddArgument((Get-StateMachineArn Slow)).AddArgument($name)
            $null = $ps.BeginInvoke()
            # Stop the caller only once the wait is really under way: the execution exists and is RUNNING.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 100
                $state = Get-UeStepFunctionResult $arn @script:Conn -ErrorAction SilentlyContinue
            } until (($state -and $state.result.Status -eq 'RUNNING') -or [DateTime]::UtcNow -gt $deadline)
            # Without this, a start that failed would only show up below as a RUNNING expected of an execution that never was.
            # Its errors read by index: enumerating a stream of a PowerShell that is still running blocks until it ends.
            $errors = @(for ($i = 0; $i -lt $ps.Streams.Error.Count; $i++) { $ps.Streams.Error[$i] }) -join '; '
            $state.result.Status | Should -Be 'RUNNING' -Because "the background Start-UeStepFunction should have started $arn within 20 s (its errors: $errors)"
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
            (Get-UeStepFunctionResult $arn @script:Conn).result.Status | Should -Be 'RUNNING'
            $sessionErrors = $ps.Runspace.SessionStateProxy.GetVariable('Error')
            $sessionErrors[0].Exception.Message | Should -Be "The wait was cancelled; execution $arn was left running."
            $sessionErrors.Count | Should -Be 21
            $null = Stop-UeStepFunction $arn @script:Conn -Confirm:$false
        } finally {
            $ps.Dispose()
        }
    }
}

Describe 'SIGTERM during a wait, in a script of one''s own' -Skip:$IsWindows {
    BeforeAll {
        <#
        Runs a script of $Body (after importing the module and waiting on a new Slow execution), sends it SIGTERM once its
        execution is RUNNING, and returns the process's exit code, its output and the execution's status afterwards.
        #>
        function Invoke-TerminatedScript([string]$Body) {
            $name = "term$([guid]::NewGuid().ToString('n').Substring(0, 10))"
            $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
            $conn = $script:Conn
            $script = Join-Path $script:Work "$name.ps1"
            @"
Import-Module '$(Get-ModuleManifestPath)'
`$wait = { Start-UeStepFunction '$(Get-StateMachineArn Slow)' -ExecutionName $name -Wait -PollingInterval 0.2 -StopOnCancel -Region us-east-1 -EndpointUrl '$($conn.EndpointUrl)' }
$Body
"@ | Set-Content $script
            $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
            # Without -NonInteractive, as many a scheduler's command line has it: such a pwsh -File exits 0 after Ctrl+C (with
            # it, 1).
            foreach ($a in '-NoProfile', '-File', $script) { $psi.ArgumentList.Add($a) }
            # The keys through the environment, as a runbook's host would give them; never in the script file.
            $psi.Environment['AWS_ACCESS_KEY_ID'] = $conn.Credential.UserName
            $psi.Environment['AWS_SECRET_ACCESS_KEY'] = $conn.Credential.GetNetworkCredential().Password
            $psi.RedirectStandardOutput = $true
            $psi.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($psi)
            try {
                $stdout = $process.StandardOutput.ReadToEndAsync()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                do {
                    Start-Sleep -Milliseconds 100
                    $state = Get-UeStepFunctionResult $arn @conn -ErrorAction SilentlyContinue
                } until (($state -and $state.result.Status -eq 'RUNNING') -or [DateTime]::UtcNow -gt $deadline)
                $state.result.Status | Should -Be 'RUNNING' -Because 'the script should have started its execution'
                Start-Sleep -Milliseconds 300
                & kill -s TERM $process.Id
                $process.WaitForExit(30000) | Should -BeTrue
                [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result.Trim(); Status = (Get-UeStepFunctionResult $arn @conn).result.Status }
            } finally {
                if (-not $process.HasExited) { $process.Kill($true) }
            }
        }
    }

    It 'stops the execution (-StopOnCancel) and ends the script as Ctrl+C would, but the process exits 143, not 0' {
        # pwsh -File exits 0 after Ctrl+C stopped its pipeline: without the module's exit code, a scheduler would take a runbook
        # that SIGTERM ended for one that succeeded.
        $run = Invoke-TerminatedScript "& `$wait`n'after the wait'"
        $run.Status | Should -Be 'ABORTED'
        $run.Output | Should -Not -Match 'after the wait'
        $run.ExitCode | Should -Be 143
    }

    It 'leaves a failing exit code the script chose in its own finally block' {
        $run = Invoke-TerminatedScript "try { & `$wait } finally { exit 7 }"
        $run.Status | Should -Be 'ABORTED'
        $run.ExitCode | Should -Be 7
    }
}

Describe 'Tab completion of -Region and -ProfileName (nothing sent anywhere)' {
    It 'offers the regions the SDK knows that start with what was typed' {
        $before = Get-EndpointRequestCount $script:Endpoint
        $line = 'Get-UeStepFunctionResult -Region eu-we'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'eu-west-1'
        $result.CompletionMatches.CompletionText | Should -Not -Contain 'us-east-1'
        ($result.CompletionMatches | Where-Object CompletionText -EQ 'eu-west-1').ToolTip | Should -BeLike 'eu-west-1 (*)'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $before
    }

    It 'leaves out the SDK''s pseudo-regions, which -Region refuses' {
        $line = 'Get-UeStepFunctionResult -Region us-east-'
        $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $offered | Should -Contain 'us-east-1'
        $offered | Should -Not -Contain 'us-east-1-regional'
        $line = 'Get-UeStepFunctionResult -Region aws-'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -BeNullOrEmpty
    }

    It 'offers the profiles of the shared files that AWS_SHARED_CREDENTIALS_FILE names' {
        $file = Join-Path $script:Work 'completion-credentials'
        "[nightly-batch]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = x`n[night shift]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = x`n[other]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = x`n" | Set-Content $file
        $saved = $env:AWS_SHARED_CREDENTIALS_FILE
        $env:AWS_SHARED_CREDENTIALS_FILE = $file
        try {
            $line = 'Start-UeStepFunction -ProfileName nigh'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be "'night shift'", 'nightly-batch'
        } finally {
            if ($null -eq $saved) { Remove-Item Env:AWS_SHARED_CREDENTIALS_FILE } else { $env:AWS_SHARED_CREDENTIALS_FILE = $saved }
        }
    }
}

Describe 'Tab completion of -StateMachineArn' {
    BeforeAll {
        $script:SavedEnv = @{ Key = $env:AWS_ACCESS_KEY_ID; Secret = $env:AWS_SECRET_ACCESS_KEY }
        $env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
        $env:AWS_SECRET_ACCESS_KEY = $script:Secret
    }
    AfterAll {
        $env:AWS_ACCESS_KEY_ID = $script:SavedEnv.Key
        $env:AWS_SECRET_ACCESS_KEY = $script:SavedEnv.Secret
    }

    It 'lists the state machines from the endpoint given on the command line' {
        $line = "Start-UeStepFunction -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn "
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain (Get-StateMachineArn Hello)
        $result.CompletionMatches.CompletionText | Should -Contain (Get-StateMachineArn Slow)
    }

    It 'filters by what is typed' {
        $line = "Start-UeStepFunction -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn $(Get-StateMachineArn Sho)"
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($result.CompletionMatches.CompletionText) | Should -Be @((Get-StateMachineArn Short))
    }

    It 'uses the connection values $PSDefaultParameterValues gives the command, as the call itself will' {
        $saved = $global:PSDefaultParameterValues.Clone()
        try {
            $global:PSDefaultParameterValues['*-UeStepFunction*:EndpointUrl'] = $script:Endpoint.Url
            $global:PSDefaultParameterValues['Start-UeStepFunction:Region'] = 'us-east-1'
            $line = 'Start-UeStepFunction -StateMachineArn '
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Contain (Get-StateMachineArn Hello)
            # Switched off for the calls, so for completion too.
            $global:PSDefaultParameterValues['Disabled'] = $true
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            @($result.CompletionMatches | Where-Object CompletionText -like 'arn:*').Count | Should -Be 0
        } finally {
            $global:PSDefaultParameterValues.Clear()
            foreach ($key in $saved.Keys) { $global:PSDefaultParameterValues[$key] = $saved[$key] }
        }
    }

    It 'completes Get-UeStepFunctionStateMachine -Name with the machines'' names, wildcards honoured' {
        $line = "Get-UeStepFunctionStateMachine -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -Name Sho"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('Short')
        $line = "Get-UeStepFunctionStateMachine -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -Name *ort"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain 'Short'
    }

    It 'takes -Region as the cmdlets do, in any case' {
        $line = "Start-UeStepFunction -Region US-EAST-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn "
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain (Get-StateMachineArn Hello)
    }

    It 'is silent and quick when the endpoint is unreachable' {
        $line = "Start-UeStepFunction -Region us-east-1 -EndpointUrl 'http://127.0.0.1:$(Get-ClosedPort)' -StateMachineArn "
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        @($result.CompletionMatches | Where-Object ResultType -eq 'ParameterValue').Count | Should -Be 0
    }
}

Describe 'Tab completion of -ExecutionArn' {
    It 'offers the executions this session started or looked at, most recent first, filtered by ARN or name' {
        $older = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName "older$([guid]::NewGuid().ToString('n').Substring(0, 8))" @script:Conn
        $newer = Start-UeStepFunction (Get-StateMachineArn Hello) -ExecutionName "newer$([guid]::NewGuid().ToString('n').Substring(0, 8))" @script:Conn
        foreach ($command in 'Get-UeStepFunctionResult', 'Wait-UeStepFunction', 'Stop-UeStepFunction', 'Restart-UeStepFunction') {
            $line = "$command -ExecutionArn "
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $offered[0] | Should -Be $newer.result.ExecutionArn
            $offered | Should -Contain $older.result.ExecutionArn
        }
        $line = "Get-UeStepFunctionResult $($older.result.Name)"
        $found = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        @($found.CompletionText) | Should -Be @($older.result.ExecutionArn)
        $found[0].ListItemText | Should -Be "$($older.result.Name) (RUNNING)"
        # Looking at an execution again moves it to the front.
        $null = Get-UeStepFunctionResult $older @script:Conn
        $line = 'Get-UeStepFunctionResult '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)[0] | Should -Be $older.result.ExecutionArn
        # An EXPRESS execution is not offered: these cmdlets refuse it.
        $express = Start-UeStepFunction (Get-StateMachineArn HelloExpress) @script:Conn
        $express.result.ExecutionArn | Should -BeLike '*:express:*'
        $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $offered[0] | Should -Be $older.result.ExecutionArn
        $offered | Should -Not -Contain $express.result.ExecutionArn
    }
}

Describe 'Tab completion quotes names PowerShell would otherwise run as code' {
    It 'single-quotes a state machine or execution ARN whose name holds ( ) @ ! = or a quote, and the completed line runs' {
        $env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
        $env:AWS_SECRET_ACCESS_KEY = $script:Secret
        try {
            # U+2018 is a single quote to PowerShell's parser: undoubled, it would end the quoted ARN and run what follows.
            $machineName = "Batch(v2)!x=$([guid]::NewGuid().ToString('n').Substring(0, 6))$([char]0x2018)+(Get-Date)+$([char]0x2018)"
            $definition = @{ StartAt = 'P'; States = @{ P = @{ Type = 'Pass'; End = $true } } } | ConvertTo-Json -Depth 5 -Compress
            $created = Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachine -Body @{
                name = $machineName; definition = $definition; roleArn = 'arn:aws:iam::123456789012:role/Runner' }
            $line = "Start-UeStepFunction -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn Batch"
            $completion = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $completion | Should -Be @("'" + $created.stateMachineArn.Replace([string][char]0x2018, [string][char]0x2018 * 2) + "'")
            # The completed line, as PowerShell would run it after Enter: one argument, the ARN itself.
            $started = Invoke-Expression ("Start-UeStepFunction -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn " + $completion[0] + " -ExecutionName `"r(un)'1@x=2`"")
            $started.result.StateMachineArn | Should -Be $created.stateMachineArn

            $line = 'Get-UeStepFunctionResult -ExecutionArn r'
            $completion = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $completion[0] | Should -Be ("'" + $started.result.ExecutionArn.Replace("'", "''").Replace([string][char]0x2018, [string][char]0x2018 * 2) + "'")
            (Invoke-Expression ("Get-UeStepFunctionResult -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' " + $completion[0])).result.ExecutionArn |
                Should -Be $started.result.ExecutionArn
        } finally {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction Ignore
        }
    }

    It 'leaves a plain ARN bare' {
        $started = Start-UeStepFunction (Get-StateMachineArn Hello) @script:Conn
        $line = "Get-UeStepFunctionResult $($started.result.Name)"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @($started.result.ExecutionArn)
    }
}

Describe 'The SDK''s settings from the environment, in a fresh session' {
    BeforeAll {
        # Runs a script in a child pwsh with extra environment variables ($null removes one); returns its output lines.
        function Invoke-Child {
            param([string]$Script, [hashtable]$Environment)
            # Set-Item/Remove-Item, not [Environment]::SetEnvironmentVariable: PowerShell would hand it $null as '', and on
            # Linux that sets an empty variable (which the AWS CLI of later tests then fails to read as a number).
            $set = { param($name, $value) if ($null -eq $value) { Remove-Item "Env:$name" -ErrorAction Ignore } else { Set-Item "Env:$name" $value } }
            $saved = @{}
            foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); & $set $name $Environment[$name] }
            try { & (Get-PwshPath) -NoProfile -NonInteractive -Command $Script }
            finally { foreach ($name in $saved.Keys) { & $set $name $saved[$name] } }
        }
        $script:Prelude = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-ModuleManifestPath)'
`$key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', [Net.NetworkCredential]::new('', '$($script:Secret)').SecurePassword)
`$conn = @{ EndpointUrl = '$($script:Endpoint.Url)'; Region = 'us-east-1'; Credential = `$key }
# Until the import-time warm-up has ended, so that whatever it read of the environment was read before what follows.
$(Get-PrewarmWaitScript)
"@
    }

    It 'a variable set between Import-Module and the first call counts (AWS_MAX_ATTEMPTS=1: one attempt, no retry)' {
        Reset-EndpointCounters $script:Endpoint
        $fault = @{ operation = 'StartExecution'; kind = 'http500'; count = 2 } | ConvertTo-Json
        $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Post -Body $fault -ContentType 'application/json'
        try {
            $script = $script:Prelude + @"

`$env:AWS_MAX_ATTEMPTS = '1'
`$null = Start-UeStepFunction '$(Get-StateMachineArn Hello)' @conn -ErrorAction SilentlyContinue -ErrorVariable failed
# A failed start is an error record that carries the output.
`$failed[0].TargetObject.exit_code
"@
            $exitCode = Invoke-Child $script @{ AWS_MAX_ATTEMPTS = $null }
            "$exitCode".Trim() | Should -Be '10'
            (Get-EndpointCounters $script:Endpoint).StartExecution | Should -Be 1
        } finally {
            $null = Invoke-RestMethod -Uri "$($script:Endpoint.Url)/_local/faults" -Method Delete
        }
    }

    It 'shared files named by AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE after Import-Module count (a profile''s keys and region)' {
        $credentials = Join-Path $script:Work 'late-credentials'
        $config = Join-Path $script:Work 'late-config'
        "[late]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = $($script:Secret)`n" | Set-Content $credentials
        "[profile late]`nregion = us-east-1`n" | Set-Content $config
        $script = $script:Prelude + @"

`$env:AWS_SHARED_CREDENTIALS_FILE = '$credentials'
`$env:AWS_CONFIG_FILE = '$config'
(Start-UeStepFunction '$(Get-StateMachineArn Hello)' -ProfileName late -EndpointUrl '$($script:Endpoint.Url)').exit_code
"@
        # No region anywhere else: it can only come from the config file named after the import.
        $exitCode = Invoke-Child $script @{ AWS_SHARED_CREDENTIALS_FILE = $null; AWS_CONFIG_FILE = $null; AWS_REGION = $null; AWS_DEFAULT_REGION = $null; AWS_PROFILE = $null }
        "$exitCode".Trim() | Should -Be '0'
    }

    It 'says with -Verbose which profile the SDK''s chain took the credentials from' {
        $file = Join-Path $script:Work 'shared-credentials'
        "[default]`naws_access_key_id = AKIAIOSFODNN7EXAMPLE`naws_secret_access_key = $($script:Secret)`n" | Set-Content $file
        $script = @"
Import-Module '$(Get-ModuleManifestPath)'
`$out = Start-UeStepFunction '$(Get-StateMachineArn Hello)' -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -Verbose 4>&1
@(`$out | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -like 'Step Functions at *' }).Message
"@
        $lines = @(Invoke-Child $script @{
                AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_SESSION_TOKEN = $null; AWS_PROFILE = $null
                AWS_WEB_IDENTITY_TOKEN_FILE = $null; AWS_SHARED_CREDENTIALS_FILE = $file; AWS_CONFIG_FILE = (Join-Path $script:Work 'no-config')
            })
        $lines.Count | Should -Be 1 -Because ($lines -join [Environment]::NewLine)
        $lines[0] | Should -Match "credentials: the SDK's default chain: profile 'default' in the shared files; "
        $lines[0] | Should -Not -Match ([regex]::Escape($script:Secret))
    }

    It 'never shows the password of a proxy from HTTPS_PROXY, though .NET names the proxy with it in its errors (-Debug, -Verbose, the error)' {
        # A "proxy" that refuses every tunnel: .NET then fails with "The proxy tunnel request to proxy 'http://user:pass@...' failed".
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $refuse = Start-ThreadJob -ArgumentList $listener -ScriptBlock {
            param($listener)
            try {
                while ($true) {
                    $client = $listener.AcceptTcpClient()
                    $stream = $client.GetStream()
                    $buffer = [byte[]]::new(4096)
                    $null = $stream.Read($buffer, 0, $buffer.Length)
                    $reply = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 502 Bad Gateway`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
                    $stream.Write($reply, 0, $reply.Length)
                    $client.Close()
                }
            } catch { }
        }
        try {
            $password = 'Pr0xyS3cret' + [guid]::NewGuid().ToString('n').Substring(0, 6)
            $script = $script:Prelude + @"

`$text = Get-UeStepFunctionResult 'arn:aws:states:us-east-1:123456789012:execution:Hello:x' -EndpointUrl 'https://states.example.test' -Region us-east-1 -Credential `$key -Debug -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed *>&1 | Out-String
`$text
"ERROR: `$(`$failed[0]) | `$(`$failed[0].TargetObject.ToJson())"
"@
            $lines = @(Invoke-Child $script @{ HTTPS_PROXY = "http://puser:$password@127.0.0.1:$($listener.LocalEndpoint.Port)"; NO_PROXY = $null })
            $all = $lines -join "`n"
            $all | Should -Match 'DescribeExecution Hello:x attempt 1: no answer after' -Because $all
            $all | Should -Match 'ERROR: '
            $all | Should -Not -Match $password
            $all | Should -Not -Match 'puser:'
        } finally {
            $listener.Stop()
            $refuse | Wait-Job -Timeout 5 | Remove-Job -Force
        }
    }

    It 'gives times in the machine''s time zone, the same instants the JSON shows (TZ=Asia/Kolkata, +05:30 all year)' {
        $script = $script:Prelude + @"

`$out = Start-UeStepFunction '$(Get-StateMachineArn Hello)' @conn -Wait -PollingInterval 0.1
`$json = `$out.ToJson() | ConvertFrom-Json -AsHashtable
`$r = `$out.result
"`$(`$r.StartDate.Offset)|`$(`$r.StopDate.Offset)|`$(`$r.StartDate.ToString('yyyy-MM-dd HH:mm:ss.fff'))|`$(`$json.result.startDate)"
"@
        $line = "$(Invoke-Child $script @{ TZ = 'Asia/Kolkata' })".Trim()
        $parts = $line -split '\|'
        $parts[0] | Should -Be '05:30:00' -Because $line
        $parts[1] | Should -Be '05:30:00'
        $parts[3] | Should -BeLike "$($parts[2])000+05:30"
    }

    It 'makes no instance-metadata request in the defaults mode "auto", warm-up, call and AssumeRole included' {
        # A proxy that only counts: instance metadata (169.254.169.254) would be asked through it; the endpoint is not.
        $proxy = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $proxy.Start()
        try {
            $script = $script:Prelude + @"

`$out = Start-UeStepFunction '$(Get-StateMachineArn Hello)' @conn -RoleArn 'arn:aws:iam::123456789012:role/Runner'
(Get-UeStepFunctionResult `$out @conn -RoleArn 'arn:aws:iam::123456789012:role/Runner').exit_code
"@
            # Nothing else may use the proxy (PowerShell's telemetry and update check), and nothing may tell the SDK its region
            # another way (then "auto" would not ask instance metadata, and the test would prove nothing).
            $exitCode = Invoke-Child $script @{
                POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off'
                AWS_REGION = $null; AWS_DEFAULT_REGION = $null; AWS_EXECUTION_ENV = $null; AWS_CONFIG_FILE = (Join-Path $script:Work 'no-config')
                AWS_DEFAULTS_MODE = 'auto'; AWS_EC2_METADATA_DISABLED = $null; AWS_ENDPOINT_URL_STS = $null
                HTTP_PROXY = "http://127.0.0.1:$($proxy.LocalEndpoint.Port)"; HTTPS_PROXY = "http://127.0.0.1:$($proxy.LocalEndpoint.Port)"; NO_PROXY = '127.0.0.1'
            }
            "$exitCode".Trim() | Should -Be '0'
            $proxy.Pending() | Should -BeFalse -Because 'nothing may ask instance metadata'
        } finally {
            $proxy.Stop()
        }
    }
}

Describe 'A host that cannot draw progress' {
    It 'still reports the finished wait: the host''s failure is not the execution''s' {
        # As powershell.exe without a usable console, whose progress bar throws "The handle is invalid".
        Add-Type -Path (Join-Path $PSScriptRoot 'fixtures/ProgressRefusingHost.cs')
        $refusing = [AwsStepFunctionsTests.ProgressRefusingHost]::new()
        $runspace = [runspacefactory]::CreateRunspace($refusing)
        $runspace.Open()
        try {
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript({
                    param($Manifest, $Arn, $Conn)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    Start-UeStepFunction -StateMachineArn $Arn -Wait -PollingInterval 0.2 @Conn
                }).AddArgument((Get-ModuleManifestPath)).AddArgument((Get-StateMachineArn Short)).AddArgument($script:Conn)
            $out = @($ps.Invoke())
            @($ps.Streams.Error) | Should -BeNullOrEmpty
            $out.Count | Should -Be 1
            $out[0].exit_code | Should -Be 0
            $out[0].result.Status | Should -Be 'SUCCEEDED'
            # The failing path ran, once: no record is sent after the first refusal.
            $refusing.ProgressAttempts | Should -Be 1
        } finally {
            $runspace.Dispose()
        }
    }
}
