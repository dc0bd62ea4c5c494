# Get-UeStepFunctionExecution against the local endpoint over real HTTP with real SigV4: the listing against the
# endpoint's own record, paging across ListExecutions pages, the status filter, the pipeline into the other cmdlets,
# refusals, and tab completion of what was listed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-list-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# Every execution the endpoint stored for a machine, newest first (its control plane: not the module under test). #>
    function Get-StoredExecution([string]$Machine) {
        @((Invoke-RestMethod "$($script:Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString($Machine))").executions)
    }
    <# A machine of its own, so that what a test counts is only what it started. #>
    function New-Machine([string]$Name, [hashtable]$Definition) { New-EndpointStateMachine $script:Endpoint -Name $Name -Definition $Definition }
    <# How many ListExecutions requests reached the endpoint while the script block ran. #>
    function Measure-ListRequests([scriptblock]$Script) {
        $before = [int](Get-EndpointCounters $script:Endpoint).ListExecutions
        $null = & $Script
        [int](Get-EndpointCounters $script:Endpoint).ListExecutions - $before
    }
    $pass = @{ StartAt = 'Done'; States = @{ Done = @{ Type = 'Pass'; End = $true } } }
    $wait = @{ StartAt = 'Pause'; States = @{ Pause = @{ Type = 'Wait'; Seconds = 60000; End = $true } } }
    $fail = @{ StartAt = 'Boom'; States = @{ Boom = @{ Type = 'Fail'; Error = 'Listed.Broken'; Cause = 'the listing test asked for it' } } }

    # More than one ListExecutions page (1,000 at most each): 1,050 executions that end at once.
    $script:Many = New-Machine 'ListMany' $pass
    $started = @(1..1050 | ForEach-Object { [pscustomobject]@{ StateMachineArn = $script:Many } } | Start-UeStepFunction @script:Conn -ThrottleLimit 8)
    $script:ManyStarted = $started.Count
    # Three left running, two that failed, one stopped, under one machine.
    $script:Mixed = New-Machine 'ListMixed' $wait
    $script:Running = @(1..3 | ForEach-Object { Start-UeStepFunction $script:Mixed -ExecutionName "run$_" @script:Conn })
    $stopped = Start-UeStepFunction $script:Mixed -ExecutionName 'stopped' @script:Conn | Stop-UeStepFunction @script:Conn -Force
    $script:Stopped = $stopped
    $script:Failing = New-Machine 'ListFailing' $fail
    $script:Failed = @(1..4 | ForEach-Object { Start-UeStepFunction $script:Failing -ExecutionName "failed$_" -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue })
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Get-UeStepFunctionExecution' {
    It 'started what the listings below count (precondition)' {
        $script:ManyStarted | Should -Be 1050
        @(Get-StoredExecution $script:Many).Count | Should -Be 1050
        @($script:Running.result.Status) | Should -Be @('RUNNING', 'RUNNING', 'RUNNING')
        $script:Stopped.result.Status | Should -Be 'ABORTED'
        @($script:Failed.result.Status | Select-Object -Unique) | Should -Be 'FAILED'
    }

    It 'lists every execution of a machine across pages, newest first, as the endpoint stored them: two requests for 1,050' {
        $listed = $null
        $requests = Measure-ListRequests { $script:listed = @(Get-UeStepFunctionExecution $script:Many @script:Conn) }
        $listed = $script:listed
        $requests | Should -Be 2
        $listed.Count | Should -Be 1050
        $stored = Get-StoredExecution $script:Many
        $listed.ExecutionArn | Should -Be $stored.executionArn
        # The core's types live in the module's own load context: by name, not as type literals.
        $listed[0].GetType().FullName | Should -Be 'AwsStepFunctions.Core.ExecutionSummary'
        $listed[0].Name | Should -Be $stored[0].name
        $listed[0].Status | Should -Be 'SUCCEEDED'
        $listed[0].StateMachineArn | Should -Be $script:Many
        $listed[0].StartDate | Should -BeOfType [DateTimeOffset]
        $listed[0].StopDate | Should -BeGreaterOrEqual $listed[0].StartDate
        $listed[0].RedriveCount | Should -Be 0
        "$($listed[0])" | Should -Be $listed[0].ExecutionArn
        @($listed.ExecutionArn | Select-Object -Unique).Count | Should -Be 1050
        # -ThrottleLimit lets calls for pipeline input overlap; a page still waits for the one before it.
        @(Get-UeStepFunctionExecution $script:Many -ThrottleLimit 4 @script:Conn).ExecutionArn | Should -Be $stored.executionArn
    }

    It '-First asks for no more than it needs (one request) and -Skip crosses a page boundary as if the list were one' {
        $stored = Get-StoredExecution $script:Many
        $firstFive = $null
        Measure-ListRequests { $script:firstFive = @(Get-UeStepFunctionExecution $script:Many -First 5 @script:Conn) } | Should -Be 1
        $script:firstFive.ExecutionArn | Should -Be $stored[0..4].executionArn
        # The request asked for 5, not a full page: its body's size, in the wire trace, is that of maxResults 5.
        $body = '{"stateMachineArn":"' + $script:Many + '","maxResults":5}'
        $trace = @(Get-UeStepFunctionExecution $script:Many -First 5 @script:Conn -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        @($trace.Message | Where-Object { $_ -like 'ListExecutions ListMany attempt 1: POST *' }) | Should -BeLike "* ($($body.Length) bytes) at *"
        $across = @(Get-UeStepFunctionExecution $script:Many -Skip 998 -First 5 @script:Conn)
        $across.ExecutionArn | Should -Be $stored[998..1002].executionArn
        @(Get-UeStepFunctionExecution $script:Many -Skip 1048 @script:Conn).ExecutionArn | Should -Be $stored[1048..1049].executionArn
        @(Get-UeStepFunctionExecution $script:Many -Skip 5000 @script:Conn).Count | Should -Be 0
        @(Get-UeStepFunctionExecution $script:Many -First 0 @script:Conn).Count | Should -Be 0
    }

    It 'stops asking for pages once the pipeline has had enough (Select-Object -First)' {
        $taken = $null
        Measure-ListRequests { $script:taken = @(Get-UeStepFunctionExecution $script:Many @script:Conn | Select-Object -First 3) } | Should -Be 1
        $script:taken.Count | Should -Be 3
    }

    It '-IncludeTotalCount counts the whole list after the executions -First lets through' {
        $out = @(Get-UeStepFunctionExecution $script:Many -First 2 -IncludeTotalCount @script:Conn)
        $out.Count | Should -Be 3
        $out[0..1] | ForEach-Object { $_.GetType().FullName | Should -Be 'AwsStepFunctions.Core.ExecutionSummary' }
        $out[2].ToString() | Should -Be 'Total count: 1050'
    }

    It 'lists only the executions in the -Status given, in any case, each status as the endpoint has it' {
        $running = @(Get-UeStepFunctionExecution $script:Mixed -Status running @script:Conn)
        $running.Name | Should -Be @('run3-1', 'run2-1', 'run1-1')
        @($running.Status | Select-Object -Unique) | Should -Be 'RUNNING'
        $aborted = @(Get-UeStepFunctionExecution $script:Mixed ABORTED @script:Conn)
        $aborted.ExecutionArn | Should -Be $script:Stopped.result.ExecutionArn
        @(Get-UeStepFunctionExecution $script:Mixed -Status SUCCEEDED @script:Conn).Count | Should -Be 0
        $all = @(Get-UeStepFunctionExecution $script:Mixed @script:Conn)
        $all.Name | Should -Be @('stopped-1', 'run3-1', 'run2-1', 'run1-1')
    }

    It 'lists only the redriven executions, or only the others, with -RedriveFilter (any case)' {
        $machine = New-Machine 'ListRedriven' @{ StartAt = 'Boom'; States = @{ Boom = @{ Type = 'Fail'; Error = 'Listed.Broken'; Cause = 'again' } } }
        $failed = @(1..3 | ForEach-Object { Start-UeStepFunction $machine -ExecutionName "r$_" -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue })
        $again = Restart-UeStepFunction $failed[0] -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue
        $again.result.RedriveCount | Should -Be 1
        $redriven = @(Get-UeStepFunctionExecution $machine -RedriveFilter redriven @script:Conn)
        @($redriven.ExecutionArn) | Should -Be @($failed[0].ExecutionArn)
        $redriven[0].RedriveCount | Should -Be 1
        $others = @(Get-UeStepFunctionExecution $machine -Status FAILED -RedriveFilter NOT_REDRIVEN @script:Conn)
        @($others.ExecutionArn) | Should -Be @($failed[2].ExecutionArn, $failed[1].ExecutionArn)
        @(Get-UeStepFunctionExecution $machine @script:Conn).Count | Should -Be 3
    }

    It 'pipes into Get-UeStepFunctionResult by ExecutionArn: the newest failures with their error and cause' {
        $results = @(Get-UeStepFunctionExecution $script:Failing -Status FAILED -First 3 @script:Conn |
                Get-UeStepFunctionResult @script:Conn -ErrorVariable failed)
        # Reading an execution that failed is a successful read: no error.
        $failed | Should -BeNullOrEmpty
        $results.Name | Should -Be @('failed4-1', 'failed3-1', 'failed2-1')
        @($results.Error | Select-Object -Unique) | Should -Be 'Listed.Broken'
        @($results.Cause | Select-Object -Unique) | Should -Be 'the listing test asked for it'
    }

    It 'pipes into Stop-UeStepFunction: every running execution of a machine is stopped, nothing else is touched' {
        $machine = New-Machine 'ListToStop' $wait
        $names = 1..3 | ForEach-Object { (Start-UeStepFunction $machine -ExecutionName "stop$_" @script:Conn).result.Name }
        $out = @(Get-UeStepFunctionExecution $machine -Status RUNNING @script:Conn | Stop-UeStepFunction @script:Conn -Error Listed.Stop -Force -ErrorAction SilentlyContinue)
        @($out.changed | Select-Object -Unique) | Should -Be $true
        $stored = Get-StoredExecution $machine
        @($stored | Where-Object status -eq 'ABORTED').name | Sort-Object | Should -Be ($names | Sort-Object)
        @(Get-UeStepFunctionExecution $machine -Status RUNNING @script:Conn).Count | Should -Be 0
        # The running ones of another machine were not listed, so not stopped.
        @(Get-StoredExecution $script:Mixed | Where-Object status -eq 'RUNNING').Count | Should -Be 3
    }

    It 'lists several machines given at once, each on its own, -First counting within each' {
        $out = @(Get-UeStepFunctionExecution -StateMachineArn $script:Mixed, $script:Failing -First 2 @script:Conn)
        $out.Name | Should -Be @('stopped-1', 'run3-1', 'failed4-1', 'failed3-1')
        $byProperty = @([pscustomobject]@{ StateMachineArn = $script:Failing } | Get-UeStepFunctionExecution -First 1 @script:Conn)
        $byProperty.Name | Should -Be 'failed4-1'
    }

    It 'offers the executions it listed to -ExecutionArn''s tab completion, newest listed first' {
        $listed = @(Get-UeStepFunctionExecution $script:Mixed -Status RUNNING @script:Conn)
        $line = 'Stop-UeStepFunction -ExecutionArn '
        $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        $offered[0].CompletionText | Should -Be $listed[-1].ExecutionArn
        $offered.CompletionText | Should -Contain $listed[0].ExecutionArn
        $offered[0].ListItemText | Should -Be 'run1-1 (RUNNING)'
        $line = 'Get-UeStepFunctionExecution x -Status r'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be 'RUNNING'
    }
}

Describe 'Get-UeStepFunctionExecution refusals' {
    It 'refuses an EXPRESS machine with an error that says why (exit 20, ErrorId ExpressExecutionsNotListed), and lists the next machine piped in' {
        $caught = $null
        $out = @((Get-StateMachineArn HelloExpress), $script:Mixed | Get-UeStepFunctionExecution -Status RUNNING @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 3
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'ExpressExecutionsNotListed'
        $caught[0].Exception.Field | Should -Be 'state_machine_arn'
        $caught[0].Exception.Message | Should -BeLike "-StateMachineArn '$(Get-StateMachineArn HelloExpress)' is an EXPRESS state machine: Step Functions keeps no list of its executions*CloudWatch Logs."
        $caught[0].TargetObject.exit_code | Should -Be 20
        $caught[0].TargetObject.invocation.fields.action | Should -Be 'List Executions'
        $caught[0].TargetObject.invocation.fields.state_machine_arn | Should -Be (Get-StateMachineArn HelloExpress)
        $caught[0].TargetObject.invocation.fields.status | Should -Be 'RUNNING'
    }

    It 'reports a machine that does not exist as not found (exit 20), catchable by type under -ErrorAction Stop' {
        $caught = try { Get-UeStepFunctionExecution (Get-StateMachineArn NoSuchMachine) @script:Conn -ErrorAction Stop } catch [AwsStepFunctions.UeStepFunctionException] { $_ }
        $caught.Exception.ExitCode | Should -Be 20
        $caught.Exception.ErrorId | Should -Be 'StateMachineDoesNotExist'
        $caught.Exception.Target | Should -Be (Get-StateMachineArn NoSuchMachine)
    }

    It 'refuses an execution ARN, a status outside the set, and a -Region other than the ARN''s before any request' {
        $requests = Get-EndpointRequestCount $script:Endpoint
        $execution = $script:Running[0].result.ExecutionArn
        $caught = $null
        Get-UeStepFunctionExecution $execution @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Field | Should -Be 'state_machine_arn'
        $caught[0].Exception.Message | Should -BeLike "-StateMachineArn '$execution' is an execution ARN; a state machine ARN*"
        { Get-UeStepFunctionExecution $script:Mixed -Status STARTED @script:Conn } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*Status*RUNNING,SUCCEEDED,FAILED,TIMED_OUT,ABORTED,PENDING_REDRIVE*'
        { Get-UeStepFunctionExecution $script:Mixed -RedriveFilter SOMETIMES @script:Conn } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*RedriveFilter*REDRIVEN,NOT_REDRIVEN*'
        $other = @{} + $script:Conn
        $other.Region = 'eu-west-1'
        $caught = $null
        Get-UeStepFunctionExecution $script:Mixed @other -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Message | Should -BeLike '*us-east-1*eu-west-1*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
    }
}

Describe 'Get-UeStepFunctionExecution -Name, -StartedAfter and -StartedBefore' {
    BeforeAll {
        # The whole list, newest first (checked against the endpoint's own record above), to cut the expected slices from.
        $script:All = @(Get-UeStepFunctionExecution $script:Many @script:Conn)
    }

    It '-StartedAfter lists from the newest back to that time (inclusive) and reads no further: one request, not two' {
        $from = $script:All[20].StartDate
        $listed = $null
        Measure-ListRequests { $script:listed = @(Get-UeStepFunctionExecution $script:Many -StartedAfter $from.UtcDateTime @script:Conn) } | Should -Be 1
        $expected = @($script:All | Where-Object StartDate -ge $from)
        $expected.Count | Should -BeGreaterOrEqual 21
        $script:listed.ExecutionArn | Should -Be $expected.ExecutionArn
        # Local time names the same instant.
        @(Get-UeStepFunctionExecution $script:Many -StartedAfter $from.LocalDateTime @script:Conn).ExecutionArn | Should -Be $expected.ExecutionArn
        # So does the listed StartDate itself, a DateTimeOffset (PowerShell cannot convert it to a DateTime), in any zone.
        @(Get-UeStepFunctionExecution $script:Many -StartedAfter $from @script:Conn).ExecutionArn | Should -Be $expected.ExecutionArn
        @(Get-UeStepFunctionExecution $script:Many -StartedAfter $from.ToOffset([TimeSpan]::FromHours(-7)) @script:Conn).ExecutionArn | Should -Be $expected.ExecutionArn
        $older = @($script:All | Where-Object StartDate -lt $from)
        @(Get-UeStepFunctionExecution $script:Many -StartedBefore $from -First 2 @script:Conn).ExecutionArn | Should -Be $older[0..1].ExecutionArn
    }

    It '-StartedBefore passes over the newest (exclusive), and with -StartedAfter lists a window; -First and -Skip count within it' {
        $before = $script:All[10].StartDate
        $older = @($script:All | Where-Object StartDate -lt $before)
        @(Get-UeStepFunctionExecution $script:Many -StartedBefore $before.UtcDateTime -First 3 @script:Conn).ExecutionArn | Should -Be $older[0..2].ExecutionArn
        @(Get-UeStepFunctionExecution $script:Many -StartedBefore $before.UtcDateTime -Skip 2 -First 2 @script:Conn).ExecutionArn | Should -Be $older[2..3].ExecutionArn
        $after = $script:All[1040].StartDate
        $window = @($script:All | Where-Object { $_.StartDate -ge $after -and $_.StartDate -lt $before })
        @(Get-UeStepFunctionExecution $script:Many -StartedAfter $after.UtcDateTime -StartedBefore $before.UtcDateTime @script:Conn).ExecutionArn |
            Should -Be $window.ExecutionArn
        $counted = @(Get-UeStepFunctionExecution $script:Many -StartedAfter $after.UtcDateTime -StartedBefore $before.UtcDateTime -First 1 -IncludeTotalCount @script:Conn)
        $counted[-1].ToString() | Should -Be "Total count: $($window.Count)"
    }

    It '-Name takes plain names and wildcard patterns in any case, in list order; a plain name alone stops the listing once found' {
        @(Get-UeStepFunctionExecution $script:Mixed -Name 'RUN*' @script:Conn).Name | Should -Be @('run3-1', 'run2-1', 'run1-1')
        @(Get-UeStepFunctionExecution $script:Mixed -Name 'stopped-1', 'Run2-1' @script:Conn).Name | Should -Be @('stopped-1', 'run2-1')
        $third = $script:All[2].Name
        $found = $null
        Measure-ListRequests { $script:found = @(Get-UeStepFunctionExecution $script:Many -Name $third.ToUpperInvariant() @script:Conn) } | Should -Be 1
        $script:found.ExecutionArn | Should -Be $script:All[2].ExecutionArn
        # A pattern may match anywhere: the whole list is read.
        Measure-ListRequests { $script:found = @(Get-UeStepFunctionExecution $script:Many -Name "$third*" @script:Conn) } | Should -Be 2
        $script:found.ExecutionArn | Should -Be $script:All[2].ExecutionArn
    }

    It 'reports a plain name that matches nothing once the list is read (exit 20, ExecutionNotFound), after what was found; a pattern is no error' {
        $caught = $null
        $out = @(Get-UeStepFunctionExecution $script:Mixed -Name 'run2-1', 'nope-1', 'none*' @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.Name | Should -Be 'run2-1'
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'ExecutionNotFound'
        $caught[0].Exception.Field | Should -Be 'name'
        $caught[0].Exception.Target | Should -Be 'nope-1'
        $caught[0].Exception.Message | Should -Be "No execution named 'nope-1' is listed for ListMixed."
        $caught[0].TargetObject.invocation.fields.name | Should -Be 'run2-1,nope-1,none*'
        # The conditions the listing had are named, so "not found" is not read as "does not exist".
        $caught = $null
        Get-UeStepFunctionExecution $script:Mixed -Name 'run2-1' -Status SUCCEEDED @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.Message | Should -Be "No execution named 'run2-1' is listed for ListMixed (status SUCCEEDED)."
        # A list that -First cut short before its last page cannot tell; one read whole within a page can.
        $caught = $null
        $newest = $script:All[0].Name
        $found = $null
        Measure-ListRequests {
            $script:found = @(Get-UeStepFunctionExecution $script:Many -Name $newest, 'nope-1' -First 1 @script:Conn -ErrorVariable script:caught -ErrorAction SilentlyContinue)
        } | Should -Be 1
        $script:found.Name | Should -Be $newest
        $script:caught | Should -BeNullOrEmpty
        $caught = $null
        @(Get-UeStepFunctionExecution $script:Mixed -Name 'stopped-1', 'nope-1' -First 1 @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue).Name | Should -Be 'stopped-1'
        $caught.Exception.ErrorId | Should -Be 'ExecutionNotFound'
    }

    It 'completes -Name from the newest executions of the machine typed on the line, in the -Status typed, newest first' {
        $saved = $global:PSDefaultParameterValues.Clone()
        try {
            # The key reaches completion as it reaches the call: through the session's defaults.
            $global:PSDefaultParameterValues['Get-UeStepFunctionExecution:Credential'] = $script:Conn.Credential
            $prefix = "Get-UeStepFunctionExecution $($script:Mixed) -Region $($script:Conn.Region) -EndpointUrl '$($script:Endpoint.Url)'"
            $line = "$prefix -Name R"
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
            $offered.CompletionText | Should -Be @('run3-1', 'run2-1', 'run1-1')
            $offered[0].ToolTip | Should -BeLike 'run3-1 (*, started 20*)'
            $line = "$prefix -Status aborted -Name "
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) |
                Should -Be @(Get-UeStepFunctionExecution $script:Mixed -Status ABORTED @script:Conn).Name
            # Nothing typed to list: no suggestions, and no request.
            $requests = Get-EndpointRequestCount $script:Endpoint
            $line = "Get-UeStepFunctionExecution -Region $($script:Conn.Region) -EndpointUrl '$($script:Endpoint.Url)' -Name "
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Where-Object ResultType -eq ParameterValue) | Should -BeNullOrEmpty
            Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
        } finally {
            $global:PSDefaultParameterValues = $saved
        }
    }

    It 'refuses a window in which nothing can have started before any request, naming both parameters (exit 20)' {
        $requests = Get-EndpointRequestCount $script:Endpoint
        $at = [datetime]::new(2026, 12, 1, 8, 30, 0, [DateTimeKind]::Utc)
        $caught = $null
        Get-UeStepFunctionExecution $script:Mixed -StartedAfter $at -StartedBefore $at.AddMinutes(-1) @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught.Count | Should -Be 1
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'InvalidStartedWindow'
        $caught[0].Exception.Message | Should -Be '-StartedAfter (2026-12-01 08:30:00.000Z) must be earlier than -StartedBefore (2026-12-01 08:29:00.000Z): no execution can have started in between.'
        $caught[0].TargetObject.invocation.fields.started_after | Should -Be '2026-12-01T08:30:00.0000000+00:00'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
    }
}

Describe 'The core''s own checks of a listing (for callers without the cmdlet''s parameter validation)' {
    It 'refuses a status outside the set and a page size outside 1 to 1000, naming the field and the rule' {
        # The core's types live in the module's own load context: reached through an object it made.
        $core = (Get-UeStepFunctionExecution $script:Mixed -First 1 @script:Conn).GetType().Assembly
        $service = $core.GetType('AwsStepFunctions.Core.StepFunctionsService', $true)
        $validate = $core.GetType('AwsStepFunctions.Core.Validate', $true)
        $refusal = { param($script) try { & $script; $null } catch { $_.Exception.InnerException ?? $_.Exception } }
        $bad = & $refusal { $service::ValidateList($script:Mixed, 'STARTED') }
        [int]$bad.ExitCode | Should -Be 20
        $bad.Field | Should -Be 'status'
        $bad.Message | Should -Be "status 'STARTED' must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE."
        $service::ValidateList($script:Mixed, 'timed_out') | Should -Be 'TIMED_OUT'
        $service::ValidateList($script:Mixed, $null) | Should -BeNullOrEmpty
        $bad = & $refusal { $service::ValidateRedriveFilter('SOMETIMES') }
        [int]$bad.ExitCode | Should -Be 20
        $bad.Field | Should -Be 'redrive_filter'
        $bad.Message | Should -Be "redrive_filter 'SOMETIMES' must be one of REDRIVEN, NOT_REDRIVEN."
        $service::ValidateRedriveFilter('not_redriven') | Should -Be 'NOT_REDRIVEN'
        $bad = & $refusal { $validate::PageSize(1001) }
        $bad.Field | Should -Be 'max_results'
        $bad.Message | Should -Be 'max_results must be from 1 to 1000 (got 1001).'
    }
}
