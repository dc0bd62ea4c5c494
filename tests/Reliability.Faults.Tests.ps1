# Faults (issue 4): the local endpoint's fault injection (POST /_local/faults) and request counters, the task
# wrapper in child pwsh processes, the AWS CLI as an independent witness of how many executions exist, and an
# in-process pipeline stop for Ctrl+C. Each case uses its own execution name so counts cannot mix.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'ReliabilityReport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'fixtures/ReliabilityFixtures.psm1') -Force
    $script:Area = 'Faults'
    Initialize-ReliabilityArea $script:Area
    $script:K = Get-ReliabilityConstant
    $script:Dir = New-ReliabilityTempDirectory 'rel-faults'
    $script:RoleArn = "arn:aws:iam::$($script:K.Account):role/ReliabilityShortLived"
    $script:SetupError = $null
    try {
        # A role whose sessions last 3 seconds: a 7-second wait outlives two of them.
        $config = Join-Path $script:Dir 'access.json'
        @{ defaultUser = $true; roles = @(@{ roleArn = $script:RoleArn; actions = @('states:*'); durationSeconds = 3 }) } |
            ConvertTo-Json -Depth 5 | Set-Content $config
        $script:Endpoint = Start-ReliabilityEndpoint -Directory $script:Dir -ConfigPath $config
    } catch {
        $script:SetupError = "setup failed: $($_.Exception.Message)"
    }

    function New-CaseName { param([string]$Prefix) "$Prefix-$([Guid]::NewGuid().ToString('n').Substring(0, 8))" }

    # Counters and faults start clean for every case, so every count below belongs to that case.
    function Reset-Endpoint {
        if ($script:SetupError) { throw $script:SetupError }
        Clear-EndpointFault $script:Endpoint
        Reset-EndpointCounter $script:Endpoint
        $null = Invoke-EndpointControl -Endpoint $script:Endpoint -Method DELETE -Path '/_local/requests'
    }

    function Invoke-FaultTask {
        param([hashtable]$Parameters, [int]$TimeoutSeconds = 150)
        $p = @{ EndpointUrl = $script:Endpoint.Url; Region = $script:K.Region } + $Parameters
        $case = @{ Id = 'fault'; Parameters = $p; Credential = @{ User = $script:K.AccessKeyId; Secret = $script:K.SecretKey } }
        Invoke-TaskWrapper -Cases @($case) -TimeoutSeconds $TimeoutSeconds
    }

    # Executions of a state machine whose name starts with the case's base name (the task appends -<RunCount>).
    function Get-CaseExecution {
        param([string]$Machine, [string]$BaseName)
        @(Get-EndpointExecution -Endpoint $script:Endpoint -StateMachineArn (Get-StateMachineArn $Machine) | Where-Object { $_.name -like "$BaseName-*" })
    }

    # The task once, with the endpoint dropping the answer to the operation's next request after processing it; returns the
    # case's execution name, the task's result and how many requests of that operation the endpoint received.
    function Invoke-DroppedAnswerTask {
        param([string]$Operation, [string]$Machine, [string]$Prefix, [hashtable]$Parameters = @{})
        Reset-Endpoint
        Add-EndpointFault $script:Endpoint -Operation $Operation -Kind 'drop-after-processing' -Count 1
        $name = New-CaseName $Prefix
        $result = Invoke-FaultTask (@{ StateMachineArn = (Get-StateMachineArn $Machine); ExecutionName = $name } + $Parameters)
        [pscustomobject]@{ Name = $name; Result = $result; Requests = (Get-EndpointCounter $script:Endpoint $Operation) }
    }

    function Get-Observed {
        param($Result, [string]$Extra)
        $what = if ($Result.Json) { $Result.Json.status_description } elseif ($Result.Run.TimedOut) { 'TIMED OUT (killed)' } else { "no JSON: $((($Result.Text.Trim()) -split "`n")[-1])" }
        "exit $($Result.ExitCode) in $([Math]::Round($Result.Run.Seconds, 1)) s: $what$(if ($Extra) { "; $Extra" })"
    }
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    Update-ReliabilityDocument
    if ($script:Dir) { Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue }
}

Describe 'Transient StartExecution failures within the retry budget' {
    It '<Kind> twice on StartExecution, then success: exactly one execution' -ForEach @(
        @{ Kind = 'throttle'; Label = 'ThrottlingException' }
        @{ Kind = 'http500'; Label = 'HTTP 500' }
        @{ Kind = 'http503'; Label = 'HTTP 503' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "$Label x2 on StartExecution, then success" `
            -Expected 'exit 0 after retries (3 StartExecution requests); exactly one execution' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind $Kind -Count 2
            $name = New-CaseName $Kind
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = $name }
            $starts = Get-EndpointCounter $script:Endpoint StartExecution
            $executions = Get-CaseExecution 'Quick' $name
            $row.Observed = Get-Observed $r "$starts StartExecution requests, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 0
            $starts | Should -Be 3
            $executions.Count | Should -Be 1
            $r.Json.result.executionArn | Should -Be $executions[0].executionArn
        }
    }
}

Describe 'Transient StartExecution failures beyond the retry budget' {
    It '<Label> on every StartExecution ends with exit <Code> in bounded time' -ForEach @(
        @{ Kind = 'throttle'; Label = 'ThrottlingException'; Code = 1; Says = '(?i)throttl' }
        @{ Kind = 'http500'; Label = 'HTTP 500'; Code = 10; Says = '500' }
        @{ Kind = 'http503'; Label = 'HTTP 503'; Code = 10; Says = '503' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "$Label on every StartExecution" `
            -Expected "exit $Code naming the cause, within 60 s, after more than one attempt; no execution" -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind $Kind -Count 100000
            $name = New-CaseName $Kind
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = $name }
            $starts = Get-EndpointCounter $script:Endpoint StartExecution
            Clear-EndpointFault $script:Endpoint
            $executions = Get-CaseExecution 'Quick' $name
            $row.Observed = Get-Observed $r "$starts StartExecution attempts, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be $Code
            $r.Json.status_description | Should -Match $Says
            $r.Run.Seconds | Should -BeLessThan 60
            $starts | Should -BeGreaterThan 1
            $executions.Count | Should -Be 0
        }
    }
}

Describe 'StartExecution processed but the response lost' {
    It 'the retry reuses the name and input: one execution, reported (<Machine>)' -ForEach @(
        @{ Machine = 'Hold'; While = 'still RUNNING when the retry arrives (idempotent answer)' }
        @{ Machine = 'Quick'; While = 'already SUCCEEDED when the retry arrives (ExecutionAlreadyExists)' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "connection dropped after StartExecution was processed, execution $While" `
            -Expected 'exit 0; exactly one execution; the task reports its ARN' -Body {
            param($row)
            $run = Invoke-DroppedAnswerTask StartExecution $Machine 'drop' @{ InputJson = '{"order":42}' }
            $r = $run.Result; $starts = $run.Requests
            $executions = Get-CaseExecution $Machine $run.Name
            $row.Observed = Get-Observed $r "$starts StartExecution requests, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 0
            $starts | Should -BeGreaterThan 1
            $executions.Count | Should -Be 1
            $r.Json.result.executionArn | Should -Be $executions[0].executionArn
        }
    }
}

Describe 'StartExecution processed and every answer lost, and reruns' {
    It 'every attempt processed and its answer dropped: the execution is read back and reported, exit 0, one execution' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'every StartExecution processed but its answer dropped (all attempts)' `
            -Expected 'exit 0: the execution read back by its name and reported; exactly one execution' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind 'drop-after-processing' -Count 100
            $name = New-CaseName 'alldrop'
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Hold'); ExecutionName = $name; InputJson = '{"order":7}' }
            $starts = Get-EndpointCounter $script:Endpoint StartExecution
            Clear-EndpointFault $script:Endpoint
            $executions = Get-CaseExecution 'Hold' $name
            $row.Observed = Get-Observed $r "$starts StartExecution requests, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $starts | Should -BeGreaterThan 1
            $executions.Count | Should -Be 1
            $r.Json.result.executionArn | Should -Be $executions[0].executionArn
            $r.Json.changed | Should -BeTrue
        }
    }

    It 'every answer dropped, and the read-back itself failing with 5xx for a while: still read back and reported, exit 0' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'every StartExecution processed but its answer dropped, then DescribeExecution answering HTTP 500 four times (beyond the SDK''s three attempts)' `
            -Expected 'exit 0: the read-back asks again within its 10 s and finds the execution; exactly one execution' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind 'drop-after-processing' -Count 100
            Add-EndpointFault $script:Endpoint -Operation DescribeExecution -Kind 'http500' -Count 4
            $name = New-CaseName 'dropread500'
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Hold'); ExecutionName = $name; InputJson = '{"order":8}' }
            $describes = Get-EndpointCounter $script:Endpoint DescribeExecution
            Clear-EndpointFault $script:Endpoint
            $executions = Get-CaseExecution 'Hold' $name
            $row.Observed = Get-Observed $r "$describes DescribeExecution requests, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $describes | Should -BeGreaterThan 4
            $executions.Count | Should -Be 1
            $r.Json.result.executionArn | Should -Be $executions[0].executionArn
        }
    }

    It 'with -Wait (the machine''s type already read): a repeat that meets its own ended execution reports it, exit 0' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'StartExecution of a known STANDARD machine processed, its answer dropped, the repeat held until the execution ended (-Wait)' `
            -Expected 'exit 0 SUCCEEDED: the repeat''s ExecutionAlreadyExists read as this call''s own start; exactly one execution' -Body {
            param($row)
            Reset-Endpoint
            # -Wait reads the type before starting, so the start goes out for a machine known to be STANDARD.
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind 'drop-after-processing' -Count 1
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind 'delay' -Count 1 -DelayMs 800
            $name = New-CaseName 'waitdrop'
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = $name; InputJson = '{"order":9}'; Wait = $true }
            $starts = Get-EndpointCounter $script:Endpoint StartExecution
            Clear-EndpointFault $script:Endpoint
            $executions = Get-CaseExecution 'Quick' $name
            $row.Observed = Get-Observed $r "$starts StartExecution requests, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Json.result.status | Should -Be 'SUCCEEDED'
            $starts | Should -Be 2
            $executions.Count | Should -Be 1
            $r.Json.result.executionArn | Should -Be $executions[0].executionArn
        }
    }

    It 'a rerun whose every attempt fails is not reported as the earlier run it finds under its name' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'a rerun with the same name and input seconds after the first run, every StartExecution reset' `
            -Expected 'exit 10 saying the execution under that name is an earlier run; nothing started; one execution' -Body {
            param($row)
            Reset-Endpoint
            $name = New-CaseName 'rerunreset'
            $task = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = $name; InputJson = '{"order":10}'; Wait = $true }
            $first = Invoke-FaultTask $task
            # An execution that started up to 2 s before a call began (1 s of clock allowance, and 1 s more when the moment is
            # read from the service's whole-second Date header) may be the call's own: the rerun must begin later than that to
            # be told apart, whatever the task's start-up takes (a faster task once brought it within 0.1 s of the bound).
            Start-Sleep -Seconds 4
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind 'reset' -Count 100
            $second = Invoke-FaultTask $task
            Clear-EndpointFault $script:Endpoint
            $executions = Get-CaseExecution 'Quick' $name
            $row.Observed = "first: $(Get-Observed $first); second: $(Get-Observed $second); $($executions.Count) execution(s)"
            $first.ExitCode | Should -Be 0 -Because $first.Text
            $second.ExitCode | Should -Be 10 -Because $second.Text
            $second.Json.status_description | Should -BeLike "*An execution named $name-1 exists, but it is not this call's: it started before this call*"
            $second.Json.changed | Should -BeFalse
            $executions.Count | Should -Be 1
        }
    }

    It 'a rerun with the same name and input seconds after the first run ended is exit 20, not the first run reported again' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'a rerun with the same execution name and input, seconds after the first run ended' `
            -Expected 'exit 20 ExecutionAlreadyExists, nothing started; the first run is not reported as the rerun''s own' -Body {
            param($row)
            Reset-Endpoint
            $name = New-CaseName 'rerun'
            $task = @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = $name; InputJson = '{"order":8}'; Wait = $true }
            $first = Invoke-FaultTask $task
            $second = Invoke-FaultTask $task
            $executions = Get-CaseExecution 'Quick' $name
            $row.Observed = "first: $(Get-Observed $first); second: $(Get-Observed $second); $($executions.Count) execution(s)"
            $first.ExitCode | Should -Be 0 -Because $first.Text
            $second.ExitCode | Should -Be 20 -Because $second.Text
            $second.Json.status_description | Should -BeLike 'DATA_VALIDATION_ERROR:*ExecutionAlreadyExists*'
            $second.Json.changed | Should -BeFalse
            $executions.Count | Should -Be 1
        }
    }
}

Describe 'StartExecution of an EXPRESS machine processed but the response lost' {
    It 'is not repeated (EXPRESS starts are not idempotent): one execution, exit 10 saying it may have started' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'connection dropped after StartExecution of an EXPRESS machine was processed' `
            -Expected 'exit 10; one StartExecution request, the machine type read once; exactly one execution' -Body {
            param($row)
            $run = Invoke-DroppedAnswerTask StartExecution 'QuickExpress' 'express-drop'
            $r = $run.Result; $starts = $run.Requests
            $lookups = Get-EndpointCounter $script:Endpoint DescribeStateMachine
            $executions = Get-CaseExecution 'QuickExpress' $run.Name
            $row.Observed = Get-Observed $r "$starts StartExecution request(s), $lookups DescribeStateMachine, $($executions.Count) execution(s)"
            $r.ExitCode | Should -Be 10 -Because $r.Text
            $r.Json.status_description | Should -BeLike "*is an EXPRESS state machine, whose starts are not idempotent, so it was not repeated: an execution named $($run.Name)-1 may have started."
            $starts | Should -Be 1
            $lookups | Should -Be 1
            $executions.Count | Should -Be 1
        }
    }

    It 'with -Wait (StartSyncExecution) is not repeated either: sent once, exit 10' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'connection dropped after StartSyncExecution of an EXPRESS machine was processed (-Wait)' `
            -Expected 'exit 10; one StartSyncExecution request: never sent twice' -Body {
            param($row)
            # Synchronous Express executions are not listed (as with ListExecutions on AWS): the request count is the witness.
            $run = Invoke-DroppedAnswerTask StartSyncExecution 'QuickExpress' 'sync-drop' @{ Wait = $true }
            $r = $run.Result; $starts = $run.Requests
            $row.Observed = Get-Observed $r "$starts StartSyncExecution request(s)"
            $r.ExitCode | Should -Be 10 -Because $r.Text
            $r.Json.status_description | Should -BeLike '*so it was not repeated*'
            $starts | Should -Be 1
        }
    }
}

Describe 'The endpoint unreachable during -Wait' {
    It 'connection resets on DescribeExecution are ridden out and the wait succeeds' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'connection reset on the next 4 DescribeExecution requests during -Wait' `
            -Expected 'exit 0, SUCCEEDED; the resets were retried' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation DescribeExecution -Kind reset -Count 4
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Short'); ExecutionName = (New-CaseName 'reset'); Wait = $true; PollingInterval = '0.5' }
            $describes = Get-EndpointCounter $script:Endpoint DescribeExecution
            $row.Observed = Get-Observed $r "$describes DescribeExecution requests"
            $r.ExitCode | Should -Be 0
            $r.Json.result.status | Should -Be 'SUCCEEDED'
            $describes | Should -BeGreaterThan 4
        }
    }

    It 'an endpoint that stays unreachable ends the wait with exit 10 at the documented bound' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'every DescribeExecution reset, -UnreachableTimeout 3' `
            -Expected 'exit 10 soon after the bound, never a hang' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation DescribeExecution -Kind reset -Count 100000
            $r = Invoke-FaultTask -TimeoutSeconds 90 @{ StateMachineArn = (Get-StateMachineArn 'Hold'); ExecutionName = (New-CaseName 'down')
                Wait = $true; PollingInterval = '0.5'; UnreachableTimeout = '3' }
            Clear-EndpointFault $script:Endpoint
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 10
            $r.Json.status_description | Should -Match '^CONNECTION_ERROR:'
            $r.Run.Seconds | Should -BeLessThan 60
        }
    }
}

Describe 'An endpoint that takes connections and never answers while waiting' {
    It 'ends the wait with exit 10 at -UnreachableTimeout, not after three request timeouts' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'every DescribeExecution answers after 60 s, -UnreachableTimeout 3' `
            -Expected 'exit 10 a few seconds after the bound (each attempt alone may take 100 s), never a hang' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation DescribeExecution -Kind delay -Count 100000 -DelayMs 60000
            $r = Invoke-FaultTask -TimeoutSeconds 90 @{ StateMachineArn = (Get-StateMachineArn 'Hold'); ExecutionName = (New-CaseName 'mute')
                Wait = $true; PollingInterval = '0.5'; UnreachableTimeout = '3' }
            Clear-EndpointFault $script:Endpoint
            $row.Observed = Get-Observed $r
            $r.ExitCode | Should -Be 10 -Because $r.Stdout
            $r.Json.status_description | Should -Match '^CONNECTION_ERROR:.*no answer within'
            $r.Json.result.executionArn | Should -Match ':execution:Hold:'
            $r.Run.Seconds | Should -BeLessThan 40
        }
    }
}

Describe 'A response slower than the request timeout' {
    It 'is retried, then ends with exit 10, never a hang' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'StartExecution answers after 20 s, -RequestTimeout 2' `
            -Expected 'exit 10 saying it timed out, within 60 s, after more than one attempt' -Body {
            param($row)
            Reset-Endpoint
            Add-EndpointFault $script:Endpoint -Operation StartExecution -Kind delay -Count 100000 -DelayMs 20000
            $r = Invoke-FaultTask -TimeoutSeconds 90 @{ StateMachineArn = (Get-StateMachineArn 'Quick'); ExecutionName = (New-CaseName 'slow'); RequestTimeout = '2' }
            $starts = Get-EndpointCounter $script:Endpoint StartExecution
            Clear-EndpointFault $script:Endpoint
            $row.Observed = Get-Observed $r "$starts StartExecution attempts"
            $r.ExitCode | Should -Be 10
            $r.Json.status_description | Should -Match '^CONNECTION_ERROR:'
            # An operator must be able to tell a slow endpoint from an unreachable one.
            $r.Json.status_description | Should -Match '(?i)timed out|time-?out'
            $r.Run.Seconds | Should -BeLessThan 60
            $starts | Should -BeGreaterThan 1
        }
    }
}

Describe 'AssumeRole credentials expiring during a long wait' {
    It 'are refreshed and the wait goes on' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'role sessions of 3 s, a 7 s execution, -Wait' `
            -Expected 'exit 0, SUCCEEDED; AssumeRole called more than once; several session keys used' -Body {
            param($row)
            Reset-Endpoint
            $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Medium'); ExecutionName = (New-CaseName 'expiry'); Wait = $true
                PollingInterval = '0.5'; RoleArn = $script:RoleArn; RoleSessionName = 'reliability-expiry' }
            $assumes = Get-EndpointCounter $script:Endpoint AssumeRole
            $requests = Get-EndpointRequest $script:Endpoint
            $sessionKeys = @($requests | Where-Object { $_.operation -eq 'DescribeExecution' -and $_.accessKeyId -like 'ASIA*' } | ForEach-Object accessKeyId | Sort-Object -Unique)
            $expired = @($requests | Where-Object errorCode -match 'Expired').Count
            $row.Observed = Get-Observed $r "$assumes AssumeRole calls, $($sessionKeys.Count) session keys used, $expired requests refused as expired"
            $r.ExitCode | Should -Be 0
            $r.Json.result.status | Should -Be 'SUCCEEDED'
            $assumes | Should -BeGreaterThan 1
            $sessionKeys.Count | Should -BeGreaterThan 1
        }
    }
}

Describe 'STS failing while a role is refreshed during a wait' {
    It 'is a transient failure of the polls it meets: the wait goes on and ends SUCCEEDED' {
        Invoke-ReliabilityCase -Area $script:Area -Case 'role sessions of 3 s, every AssumeRole after the first reset 8 times, -Wait' `
            -Expected 'exit 0, SUCCEEDED; the 8 resets used up; more AssumeRole requests than the 2 sessions need' -Body {
            param($row)
            Reset-Endpoint
            # Once the first session is issued, the next 8 AssumeRole requests (more than one refresh's own attempts) are reset.
            $url = $script:Endpoint.Url
            $arming = Start-ThreadJob {
                param($Url)
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ([DateTime]::UtcNow -lt $deadline) {
                    $counters = Invoke-RestMethod "$Url/_local/counters"
                    if ($counters.PSObject.Properties['AssumeRole'] -and [int]$counters.AssumeRole -ge 1) { break }
                    Start-Sleep -Milliseconds 20
                }
                $fault = @{ operation = 'AssumeRole'; kind = 'reset'; count = 8 } | ConvertTo-Json
                $null = Invoke-RestMethod "$Url/_local/faults" -Method Post -Body $fault -ContentType 'application/json'
            } -ArgumentList $url
            try {
                $r = Invoke-FaultTask @{ StateMachineArn = (Get-StateMachineArn 'Medium'); ExecutionName = (New-CaseName 'stsreset'); Wait = $true
                    PollingInterval = '0.5'; RoleArn = $script:RoleArn; RoleSessionName = 'reliability-sts-reset' }
            } finally {
                $arming | Wait-Job -Timeout 60 | Receive-Job -ErrorAction SilentlyContinue
                $arming | Remove-Job -Force
            }
            $assumes = Get-EndpointCounter $script:Endpoint AssumeRole
            $row.Observed = Get-Observed $r "$assumes AssumeRole requests"
            $r.ExitCode | Should -Be 0 -Because $r.Text
            $r.Json.result.status | Should -Be 'SUCCEEDED'
            $assumes | Should -BeGreaterThan 9
        }
    }
}

Describe 'Ctrl+C (pipeline stop) during a wait' {
    BeforeAll {
        # Runs Start-UeStepFunction -Wait in its own runspace of this process, waits until it is polling, then stops
        # the pipeline the way Ctrl+C does and times how long the stop takes.
        function Invoke-StoppedWait {
            param([string]$Name, [switch]$StopOnCancel, [ValidateSet('Start', 'Wait')][string]$Cmdlet = 'Start')
            $secure = ConvertTo-SecureString $script:K.SecretKey -AsPlainText -Force
            $credential = [pscredential]::new($script:K.AccessKeyId, $secure)
            $connection = @{ EndpointUrl = $script:Endpoint.Url; Region = $script:K.Region; Credential = $credential }
            $waiting = @{ PollingInterval = 0.5; StopOnCancel = [bool]$StopOnCancel }
            $ps = [powershell]::Create()
            try {
                # Start -Wait waits itself; for Wait-UeStepFunction the execution is started first, then waited on.
                $script = if ($Cmdlet -eq 'Start') {
                    'param($Manifest, $Machine, $Name, $Connection, $Waiting) Import-Module $Manifest; Start-UeStepFunction -StateMachineArn $Machine -ExecutionName $Name @Connection @Waiting -Wait -Confirm:$false'
                } else {
                    'param($Manifest, $Machine, $Name, $Connection, $Waiting) Import-Module $Manifest; $s = Start-UeStepFunction -StateMachineArn $Machine -ExecutionName $Name @Connection -Confirm:$false; Wait-UeStepFunction -ExecutionArn $s.result.executionArn @Connection @Waiting'
                }
                $null = $ps.AddScript($script).AddParameters(@{ Manifest = $script:K.ManifestPath; Machine = (Get-StateMachineArn 'Hold'); Name = $Name
                        Connection = $connection; Waiting = $waiting })
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((Get-EndpointCounter $script:Endpoint DescribeExecution) -lt 2 -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 200
                }
                if ($async.IsCompleted) { throw "the wait ended before it was stopped: $($ps.Streams.Error | Select-Object -First 1)" }
                if ([DateTime]::UtcNow -ge $deadline) { throw 'the wait never started polling' }
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Stop()
                $watch.Elapsed.TotalSeconds
            } finally {
                $ps.Dispose()
            }
        }
    }

    It '<Cmdlet>: returns within a second; with -StopOnCancel the execution is ABORTED' -ForEach @(
        @{ Cmdlet = 'Start'; Label = 'Start-UeStepFunction -Wait'; StopOnCancel = $true; Status = 'ABORTED' }
        @{ Cmdlet = 'Start'; Label = 'Start-UeStepFunction -Wait'; StopOnCancel = $false; Status = 'RUNNING' }
        @{ Cmdlet = 'Wait'; Label = 'Wait-UeStepFunction'; StopOnCancel = $true; Status = 'ABORTED' }
    ) {
        Invoke-ReliabilityCase -Area $script:Area -Case "pipeline stop during $Label$(if ($StopOnCancel) { ' -StopOnCancel' })" `
            -Expected "returns within 1 s; execution $Status" -Body {
            param($row)
            Reset-Endpoint
            $name = New-CaseName 'cancel'
            $seconds = Invoke-StoppedWait -Name $name -StopOnCancel:$StopOnCancel -Cmdlet $Cmdlet
            $executions = Get-CaseExecution 'Hold' $name
            $status = if ($executions.Count -eq 1) { $executions[0].status } else { "$($executions.Count) executions" }
            $row.Observed = "stopped in $([Math]::Round($seconds, 2)) s; execution $status"
            $seconds | Should -BeLessOrEqual 1.0
            $status | Should -Be $Status
        }
    }
}
