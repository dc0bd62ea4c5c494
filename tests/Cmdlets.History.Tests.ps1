# Get-UeStepFunctionHistory against the local endpoint over real HTTP with real SigV4: the events against the AWS CLI's
# reading of the same history (another client, another signer), paging across GetExecutionHistory pages, the order and
# data switches, the pipeline in and out, refusals before any request, and the table view.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "cmdlets-history-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# How many GetExecutionHistory requests reached the endpoint while the script block ran. #>
    function Measure-HistoryRequests([scriptblock]$Script) {
        $before = [int](Get-EndpointCounters $script:Endpoint).GetExecutionHistory
        $null = & $Script
        [int](Get-EndpointCounters $script:Endpoint).GetExecutionHistory - $before
    }
    <# The whole history as the AWS CLI reads it (it pages by itself), oldest first. #>
    function Get-CliHistory([string]$ExecutionArn, [string[]]$Extra = @()) {
        @((Invoke-AwsCli $script:Endpoint (@('stepfunctions', 'get-execution-history', '--execution-arn', $ExecutionArn) + $Extra)).events)
    }

    # A Pass, then a Fail: the events name both states, and the last carries the error and cause.
    $script:Broken = New-EndpointStateMachine $script:Endpoint -Name 'HistoryBroken' -Definition @{
        StartAt = 'Prepare'
        States  = @{
            Prepare = @{ Type = 'Pass'; Result = @{ stage = 'prepared' }; Next = 'Boom' }
            Boom    = @{ Type = 'Fail'; Error = 'History.Broken'; Cause = 'the history test asked for it' }
        }
    }
    $script:Failed = Start-UeStepFunction $script:Broken -Input '{"order":42}' -ExecutionName 'broken' -Wait -PollingInterval 0.05 @script:Conn -ErrorAction SilentlyContinue
    # More than one GetExecutionHistory page (1,000 events at most each): a Map of 300 Pass iterations, four events each.
    $script:Busy = New-EndpointStateMachine $script:Endpoint -Name 'HistoryBusy' -Definition @{
        StartAt = 'Each'
        States  = @{
            Each = @{
                Type = 'Map'; ItemsPath = '$.items'; MaxConcurrency = 1; End = $true
                ItemProcessor = @{ StartAt = 'Touch'; States = @{ Touch = @{ Type = 'Pass'; End = $true } } }
            }
        }
    }
    $items = @{ items = @(1..300) } | ConvertTo-Json -Compress
    $script:BusyRun = Start-UeStepFunction $script:Busy -Input $items -ExecutionName 'busy' -Wait -PollingInterval 0.1 @script:Conn
    $script:BusyCli = Get-CliHistory $script:BusyRun.result.ExecutionArn
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Get-UeStepFunctionHistory' {
    It 'ran what the tests below read (precondition)' {
        $script:Failed.result.Status | Should -Be 'FAILED'
        $script:BusyRun.result.Status | Should -Be 'SUCCEEDED'
        $script:BusyCli.Count | Should -BeGreaterThan 1200
    }

    It 'writes every event as the AWS CLI reads it: ids, links, types, times, states, data, error and cause' {
        $arn = $script:Failed.result.ExecutionArn
        $events = @(Get-UeStepFunctionHistory $arn @script:Conn)
        $cli = Get-CliHistory $arn
        $events.Count | Should -Be $cli.Count
        $events.Type | Should -Be @('ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'FailStateEntered', 'ExecutionFailed')
        # The core's types live in the module's own load context: by name, and through the published type name.
        $events[0].GetType().FullName | Should -Be 'AwsStepFunctions.Core.HistoryEvent'
        $events[0] | Should -BeOfType ([type]'AwsStepFunctions.Core.HistoryEvent')
        for ($i = 0; $i -lt $cli.Count; $i++) {
            $events[$i].Id | Should -Be $cli[$i].id
            $events[$i].PreviousEventId | Should -Be $cli[$i].previousEventId
            $events[$i].Type | Should -Be $cli[$i].type
            $events[$i].ExecutionArn | Should -Be $arn
            $events[$i].Timestamp | Should -BeOfType [DateTimeOffset]
            # The CLI prints times as ISO 8601 with the offset, which ConvertFrom-Json turns into a DateTime of a known kind:
            # the same instant to the millisecond.
            $cliTime = $cli[$i].timestamp
            $cliTime | Should -BeOfType [datetime]
            $cliTime.Kind | Should -Not -Be ([DateTimeKind]::Unspecified)
            $events[$i].Timestamp.ToUnixTimeMilliseconds() | Should -Be ([DateTimeOffset]$cliTime).ToUnixTimeMilliseconds()
        }
        @($events.StateName) | Should -Be @($null, 'Prepare', 'Prepare', 'Boom', $null)
        $events[0].Input | Should -Be '{"order":42}'
        $events[2].Output | Should -Be '{"stage":"prepared"}'
        $events[4].Error | Should -Be 'History.Broken'
        $events[4].Cause | Should -Be 'the history test asked for it'
        $events[4].Error | Should -Be $cli[4].executionFailedEventDetails.error
        # Details are the event's details object whole, readable JSON (a nested input is not escaped beyond JSON's rules).
        ($events[1].Details | ConvertFrom-Json).name | Should -Be 'Prepare'
        $events[0].Details | Should -BeLike '*"input":"{\"order\":42}"*'
        $events[0].Details | Should -Not -BeLike '*\u0022*'
        "$($events[4])" | Should -Be '5 ExecutionFailed'
    }

    It 'reads a history across pages, two requests for more than 1,000 events, in the order the AWS CLI gives' {
        $arn = $script:BusyRun.result.ExecutionArn
        $events = $null
        Measure-HistoryRequests { $script:events = @(Get-UeStepFunctionHistory $arn @script:Conn) } | Should -Be 2
        $script:events.Count | Should -Be $script:BusyCli.Count
        $script:events.Id | Should -Be $script:BusyCli.id
        $script:events.Type | Should -Be $script:BusyCli.type
        $script:events.Id | Should -Be @(1..$script:BusyCli.Count)
    }

    It '-Reverse reads newest first; -First asks for no more than it needs; -Skip crosses a page boundary' {
        $arn = $script:BusyRun.result.ExecutionArn
        $newest = $null
        Measure-HistoryRequests { $script:newest = @(Get-UeStepFunctionHistory $arn -Reverse -First 3 @script:Conn) } | Should -Be 1
        $last = $script:BusyCli.Count
        $script:newest.Id | Should -Be @($last, ($last - 1), ($last - 2))
        $script:newest[0].Type | Should -Be 'ExecutionSucceeded'
        # The request asked for 3 events, not a full page: its body's size, in the wire trace, is that of maxResults 3.
        $body = '{"executionArn":"' + $arn + '","maxResults":3,"reverseOrder":true}'
        $trace = @(Get-UeStepFunctionHistory $arn -Reverse -First 3 @script:Conn -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        @($trace.Message | Where-Object { $_ -like 'GetExecutionHistory * attempt 1: POST *' }) | Should -BeLike "* ($($body.Length) bytes) at *"
        @(Get-UeStepFunctionHistory $arn -Skip 998 -First 5 @script:Conn).Id | Should -Be @(999..1003)
        @(Get-UeStepFunctionHistory $arn -Reverse -Skip 1 -First 2 @script:Conn).Id | Should -Be @(($last - 1), ($last - 2))
        @(Get-UeStepFunctionHistory $arn -First 0 @script:Conn).Count | Should -Be 0
        $counted = @(Get-UeStepFunctionHistory $arn -First 1 -IncludeTotalCount @script:Conn)
        $counted[0].Id | Should -Be 1
        $counted[1].ToString() | Should -Be "Total count: $last"
    }

    It 'stops asking for pages once the pipeline has had enough (Select-Object -First)' {
        $arn = $script:BusyRun.result.ExecutionArn
        Measure-HistoryRequests { Get-UeStepFunctionHistory $arn @script:Conn | Select-Object -First 2 } | Should -Be 1
    }

    It '-ExcludeExecutionData leaves inputs and outputs out of every event, and keeps the rest' {
        $arn = $script:Failed.result.ExecutionArn
        $events = @(Get-UeStepFunctionHistory $arn -ExcludeExecutionData @script:Conn)
        $events.Type | Should -Be @('ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'FailStateEntered', 'ExecutionFailed')
        @($events | Where-Object { $_.Input -or $_.Output }) | Should -BeNullOrEmpty
        $events | ForEach-Object { $_.Details | Should -Not -BeLike '*"order"*' }
        $events[1].StateName | Should -Be 'Prepare'
        $events[4].Cause | Should -Be 'the history test asked for it'
        $trace = @(Get-UeStepFunctionHistory $arn -ExcludeExecutionData @script:Conn -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $body = '{"executionArn":"' + $arn + '","maxResults":1000,"includeExecutionData":false}'
        @($trace.Message | Where-Object { $_ -like 'GetExecutionHistory * attempt 1: POST *' }) | Should -BeLike "* ($($body.Length) bytes) at *"
    }

    It '-Type keeps the events of the types given (names and wildcards, any case); -First and -Skip count only those' {
        $arn = $script:Failed.result.ExecutionArn
        $all = @(Get-UeStepFunctionHistory $arn @script:Conn)
        $entered = @(Get-UeStepFunctionHistory $arn -Type '*stateentered' @script:Conn)
        $entered.Type | Should -Be @('PassStateEntered', 'FailStateEntered')
        $entered.Id | Should -Be @($all | Where-Object Type -like '*StateEntered').Id
        @(Get-UeStepFunctionHistory $arn -Type executionfailed, PassStateExited @script:Conn).Type | Should -Be @('PassStateExited', 'ExecutionFailed')
        # How the run ended: its newest failure event, in one request.
        $last = $null
        Measure-HistoryRequests { $script:last = @(Get-UeStepFunctionHistory $arn -Reverse -First 1 -Type '*Failed' @script:Conn) } | Should -Be 1
        $script:last.Type | Should -Be 'ExecutionFailed'
        $script:last.Error | Should -Be 'History.Broken'
        # Across pages: the AWS CLI's events of that type, counted by -Skip and -First.
        $busy = $script:BusyRun.result.ExecutionArn
        $cliEntered = @($script:BusyCli | Where-Object type -eq 'PassStateEntered')
        $cliEntered.Count | Should -Be 300
        @(Get-UeStepFunctionHistory $busy -Type PassStateEntered -Skip 250 -First 10 @script:Conn).Id | Should -Be $cliEntered[250..259].id
        Measure-HistoryRequests { $null = Get-UeStepFunctionHistory $busy -Type PassStateEntered @script:Conn } | Should -Be 2
    }

    It 'warns of a -Type that no event type of the API has, and lists nothing for it; Tab completes the types' {
        $warned = $null
        $out = @(Get-UeStepFunctionHistory $script:Failed.result.ExecutionArn -Type TaskFaild @script:Conn -WarningVariable warned -WarningAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -BeLike "-Type 'TaskFaild' is no event type of the Step Functions API this module knows*"
        $line = "Get-UeStepFunctionHistory $($script:Failed.result.ExecutionArn) -Type tasksu"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('TaskSubmitFailed', 'TaskSubmitted', 'TaskSucceeded')
        # A wildcard, as the cmdlet's own example types it (-Type *Failed): the types it matches.
        $line = "Get-UeStepFunctionHistory $($script:Failed.result.ExecutionArn) -Type *StateAbort"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) |
            Should -Be @('MapStateAborted', 'ParallelStateAborted', 'TaskStateAborted', 'WaitStateAborted')
    }

    It 'takes the other cmdlets'' output from the pipeline, and its events pipe on by ExecutionArn' {
        $started = Start-UeStepFunction (Get-StateMachineArn Hello) -Wait -PollingInterval 0.05 @script:Conn
        @($started | Get-UeStepFunctionHistory @script:Conn).Type | Should -Be @('ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded')
        # A listing's executions: the last event of each, newest execution first.
        $ends = @(Get-UeStepFunctionExecution $script:Broken, $script:Busy @script:Conn | Get-UeStepFunctionHistory -Reverse -First 1 @script:Conn)
        $ends.ExecutionArn | Should -Be @($script:Failed.result.ExecutionArn, $script:BusyRun.result.ExecutionArn)
        $ends.Type | Should -Be @('ExecutionFailed', 'ExecutionSucceeded')
        $result = Get-UeStepFunctionHistory $started -First 1 @script:Conn | Get-UeStepFunctionResult @script:Conn
        $result.result.ExecutionArn | Should -Be $started.result.ExecutionArn
        $result.result.Status | Should -Be 'SUCCEEDED'
    }

    It 'shows one event per row in an 80-column table: id, time to the millisecond, type, and the state or the error' {
        $lines = @((Get-UeStepFunctionHistory $script:Failed.result.ExecutionArn @script:Conn | Format-Table | Out-String -Width 80) -split "`r?`n" |
                Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^\s+Id Timestamp\s+Type\s+State or error$'
        $lines.Count | Should -Be 7
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines[3] | Should -Match '^\s+2 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} PassStateEntered\s+Prepare$'
        $lines[6] | Should -Match '^\s+5 .* ExecutionFailed\s+History\.Broken$'
    }
}

Describe 'Get-UeStepFunctionHistory refusals' {
    It 'refuses an EXPRESS execution before any request (exit 20, ErrorId ExpressExecutionHistoryNotKept), and reads the next one piped in' {
        $requests = Get-EndpointRequestCount $script:Endpoint
        $express = 'arn:aws:states:us-east-1:123456789012:express:HelloExpress:run-1:8d8cbd32-1a9c-4e4b-8f5c-0d3cc1f0a111'
        $caught = $null
        $out = @($express, $script:Failed.result.ExecutionArn | Get-UeStepFunctionHistory -Reverse -First 1 @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue)
        $out.Type | Should -Be 'ExecutionFailed'
        $caught.Count | Should -Be 1
        $caught[0].Exception | Should -BeOfType AwsStepFunctions.UeStepFunctionException
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.ErrorId | Should -Be 'ExpressExecutionHistoryNotKept'
        $caught[0].Exception.Field | Should -Be 'execution_arn'
        $caught[0].Exception.Message | Should -BeLike "-ExecutionArn '$express' is an EXPRESS execution: Step Functions keeps no history*CloudWatch Logs*"
        $caught[0].TargetObject.invocation.fields.action | Should -Be 'Get Execution History'
        $caught[0].TargetObject.invocation.fields.execution_arn | Should -Be $express
        $caught[0].TargetObject.invocation.fields.reverse_order | Should -BeTrue
        # One request: the second ARN's page; none for the EXPRESS one.
        Get-EndpointRequestCount $script:Endpoint | Should -Be ($requests + 1)
    }

    It 'refuses a state machine ARN and an ARN of another -Region before any request, naming the field' {
        $requests = Get-EndpointRequestCount $script:Endpoint
        $caught = $null
        Get-UeStepFunctionHistory $script:Broken @script:Conn -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Field | Should -Be 'execution_arn'
        $caught[0].Exception.Message | Should -BeLike "-ExecutionArn '$($script:Broken)'*"
        $other = @{} + $script:Conn
        $other.Region = 'eu-west-1'
        $caught = $null
        Get-UeStepFunctionHistory $script:Failed.result.ExecutionArn @other -ErrorVariable caught -ErrorAction SilentlyContinue
        $caught[0].Exception.ExitCode | Should -Be 20
        $caught[0].Exception.Message | Should -BeLike '*us-east-1*eu-west-1*'
        Get-EndpointRequestCount $script:Endpoint | Should -Be $requests
    }

    It 'reports an execution that does not exist as not found (exit 20), catchable by type under -ErrorAction Stop' {
        $missing = 'arn:aws:states:us-east-1:123456789012:execution:HistoryBroken:no-such-run'
        $caught = try { Get-UeStepFunctionHistory $missing @script:Conn -ErrorAction Stop } catch [AwsStepFunctions.UeStepFunctionException] { $_ }
        $caught.Exception.ExitCode | Should -Be 20
        $caught.Exception.ErrorId | Should -Be 'ExecutionDoesNotExist'
        $caught.Exception.Target | Should -Be $missing
    }
}
