# Starts through state machine versions and aliases: the BUILT module against the local endpoint, which publishes
# versions and routes aliases as the service does. The versions and aliases are made with hand-signed requests
# (Invoke-SignedStepFunctions): the module has no cmdlets for them and Debian's AWS CLI predates them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "versions-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Conn = Get-ConnectionParameters $script:Endpoint

    <# A machine whose version 1 greets 'v1' and version 2 'v2'; alias 'prod' routes to version 1. #>
    function New-VersionedMachine {
        param([Parameter(Mandatory)][string]$Name, [string]$Type = 'STANDARD')
        $greeting = { param($text) @{ StartAt = 'Greet'; States = @{ Greet = @{ Type = 'Pass'; Result = @{ greeting = $text }; End = $true } } } | ConvertTo-Json -Depth 5 -Compress }
        $created = Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachine -Body @{
            name = $Name; type = $Type; definition = (& $greeting 'v1'); roleArn = 'arn:aws:iam::123456789012:role/LocalStepFunctions'; publish = $true }
        $v2 = Invoke-SignedStepFunctions $script:Endpoint -Operation UpdateStateMachine -Body @{
            stateMachineArn = $created.stateMachineArn; definition = (& $greeting 'v2'); publish = $true }
        $alias = Invoke-SignedStepFunctions $script:Endpoint -Operation CreateStateMachineAlias -Body @{
            name = 'prod'; routingConfiguration = @(@{ stateMachineVersionArn = $created.stateMachineVersionArn; weight = 100 }) }
        [pscustomobject]@{
            Machine = $created.stateMachineArn; Version1 = $created.stateMachineVersionArn; Version2 = $v2.stateMachineVersionArn
            Alias = $alias.stateMachineAliasArn
        }
    }
    <# Every execution the endpoint stored for a machine (its control plane: not the module under test). #>
    function Get-StoredExecution([string]$Machine) {
        (Invoke-RestMethod "$($script:Endpoint.Url)/_local/executions?stateMachineArn=$([uri]::EscapeDataString($Machine))").executions
    }
    $script:Standard = New-VersionedMachine 'Greeter'
    $script:Express = New-VersionedMachine 'GreeterExpress' -Type EXPRESS
}

AfterAll {
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Start-UeStepFunction through a version or an alias' {
    It 'has versions 1 and 2 and an alias on version 1 to start through (precondition)' {
        $script:Standard.Version1 | Should -Be "$($script:Standard.Machine):1"
        $script:Standard.Version2 | Should -Be "$($script:Standard.Machine):2"
        $script:Standard.Alias | Should -Be "$($script:Standard.Machine):prod"
    }

    It 'runs the version the alias routes to and reports the machine, the alias and the version that ran' {
        $out = Start-UeStepFunction $script:Standard.Alias -Wait -PollingInterval 0.2 @script:Conn
        $out.exit_code | Should -Be 0
        ($out.result.Output | ConvertFrom-Json).greeting | Should -Be 'v1'
        $out.result.ExecutionArn | Should -BeLike '*:execution:Greeter:*'
        $out.result.StateMachineArn | Should -Be $script:Standard.Machine
        $out.result.StateMachineAliasArn | Should -Be $script:Standard.Alias
        $out.result.StateMachineVersionArn | Should -Be $script:Standard.Version1
        $json = $out.ToJson() | ConvertFrom-Json
        $json.result.stateMachineAliasArn | Should -Be $script:Standard.Alias
        $json.result.stateMachineVersionArn | Should -Be $script:Standard.Version1
    }

    It 'names the alias at once without -Wait, and the version once the execution is described' {
        $started = Start-UeStepFunction $script:Standard.Alias @script:Conn
        $started.result.StateMachineArn | Should -Be $script:Standard.Machine
        $started.result.StateMachineAliasArn | Should -Be $script:Standard.Alias
        $started.result.StateMachineVersionArn | Should -BeNullOrEmpty
        $done = $started | Wait-UeStepFunction -PollingInterval 0.2 @script:Conn
        $done.result.StateMachineVersionArn | Should -Be $script:Standard.Version1
        $done.result.StateMachineAliasArn | Should -Be $script:Standard.Alias
    }

    It 'runs an older version while the machine itself has moved on' {
        $one = Start-UeStepFunction $script:Standard.Version1 -Wait -PollingInterval 0.2 @script:Conn
        $latest = Start-UeStepFunction $script:Standard.Machine -Wait -PollingInterval 0.2 @script:Conn
        ($one.result.Output | ConvertFrom-Json).greeting | Should -Be 'v1'
        $one.result.StateMachineVersionArn | Should -Be $script:Standard.Version1
        $one.result.StateMachineAliasArn | Should -BeNullOrEmpty
        ($latest.result.Output | ConvertFrom-Json).greeting | Should -Be 'v2'
        $latest.result.StateMachineVersionArn | Should -BeNullOrEmpty
        ($latest.ToJson() | ConvertFrom-Json).result.PSObject.Properties.Name | Should -Not -Contain 'stateMachineVersionArn'
    }

    It 'reads an EXPRESS alias''s type from its machine in one request (DescribeStateMachine refuses aliases) and runs it synchronously' {
        Reset-EndpointCounters $script:Endpoint
        $out = Start-UeStepFunction $script:Express.Alias -Wait -PollingInterval 0.2 @script:Conn
        $out.exit_code | Should -Be 0
        ($out.result.Output | ConvertFrom-Json).greeting | Should -Be 'v1'
        $out.result.ExecutionArn | Should -BeLike '*:express:GreeterExpress:*'
        $out.result.StateMachineArn | Should -Be $script:Express.Machine
        $out.result.StateMachineAliasArn | Should -Be $script:Express.Alias
        $out.result.StateMachineVersionArn | Should -BeNullOrEmpty -Because 'StartSyncExecution does not say which version an alias picked'
        $counters = Get-EndpointCounters $script:Endpoint
        $counters.DescribeStateMachine | Should -Be 1 -Because 'the type is the machine''s: read from its unqualified ARN (DescribeStateMachine refuses an alias)'
        $counters.StartSyncExecution | Should -Be 1
        $counters.StartExecution | Should -BeNullOrEmpty
    }

    It 'reports a version that does not exist as the service does (ObjectNotFound, exit 20), and nothing starts' {
        $missing = "$($script:Standard.Machine):9"
        $before = @(Get-StoredExecution $script:Standard.Machine).Count
        $null = Start-UeStepFunction $missing @script:Conn -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject.exit_code | Should -Be 20
        $failures[0].Exception.Message | Should -BeLike "*$missing*"
        @(Get-StoredExecution $script:Standard.Machine).Count | Should -Be $before
    }
}

Describe 'A start through an alias whose answer is lost' {
    It 'reads the type from the machine, repeats the start, and reports the one execution it made' {
        # A fresh process: nothing cached yet about the alias's type, so the lost answer makes the start read it.
        Reset-EndpointCounters $script:Endpoint
        $null = Invoke-RestMethod -Method Post -Uri "$($script:Endpoint.Url)/_local/faults" -ContentType 'application/json' `
            -Body '{"operation":"StartExecution","kind":"drop-after-processing","count":1}'
        $name = "lost-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $run = Invoke-TaskScript -Arguments @(Get-TaskArguments $script:Endpoint Greeter -Set @{
                StateMachineArn = $script:Standard.Alias; ExecutionName = $name; InputJson = '{"order":7}' })
        $run.ExitCode | Should -Be 0
        $counters = Get-EndpointCounters $script:Endpoint
        $counters.StartExecution | Should -Be 2
        $counters.DescribeStateMachine | Should -Be 1 -Because 'the type is read from the machine itself, never from the alias DescribeStateMachine refuses'
        $mine = @(Get-StoredExecution $script:Standard.Machine |
                Where-Object { $_.name -like "$name-*" })
        $mine.Count | Should -Be 1
        $run.Json.result.executionArn | Should -Be $mine[0].executionArn
        $run.Json.result.stateMachineAliasArn | Should -Be $script:Standard.Alias
    }
}

Describe 'The task through an alias' {
    It 'exits 0 with the alias and the version in its JSON' {
        $run = Invoke-TaskScript -Arguments @(Get-TaskArguments $script:Endpoint Greeter -Set @{ StateMachineArn = $script:Standard.Alias; WaitForSuccessOrFailure = 'true' })
        $run.ExitCode | Should -Be 0
        $run.Json.result.stateMachineAliasArn | Should -Be $script:Standard.Alias
        $run.Json.result.stateMachineVersionArn | Should -Be $script:Standard.Version1
        ($run.Json.result.output | ConvertFrom-Json).greeting | Should -Be 'v1'
    }
}

Describe 'Tab completion of a version or an alias' {
    It 'offers the alias, then the versions newest first, once the machine''s ARN and a colon are typed; the prefix filters' {
        $saved = @{ Key = $env:AWS_ACCESS_KEY_ID; Secret = $env:AWS_SECRET_ACCESS_KEY }
        $env:AWS_ACCESS_KEY_ID = $script:Conn.Credential.UserName
        $env:AWS_SECRET_ACCESS_KEY = $script:Conn.Credential.GetNetworkCredential().Password
        try {
            $line = "Start-UeStepFunction -Region us-east-1 -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn $($script:Standard.Machine):"
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
            @($offered.CompletionText) | Should -Be @($script:Standard.Alias, $script:Standard.Version2, $script:Standard.Version1)
            @($offered.ToolTip) | Should -Be @('alias prod', 'version 2', 'version 1')
            $line += 'p'
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @($script:Standard.Alias)
        } finally {
            $env:AWS_ACCESS_KEY_ID = $saved.Key
            $env:AWS_SECRET_ACCESS_KEY = $saved.Secret
        }
    }

    It 'takes the region from the ARN typed so far, as the call does: no -Region or AWS_REGION needed' {
        $saved = @{ Key = $env:AWS_ACCESS_KEY_ID; Secret = $env:AWS_SECRET_ACCESS_KEY; Region = $env:AWS_REGION; Default = $env:AWS_DEFAULT_REGION }
        $env:AWS_ACCESS_KEY_ID = $script:Conn.Credential.UserName
        $env:AWS_SECRET_ACCESS_KEY = $script:Conn.Credential.GetNetworkCredential().Password
        $env:AWS_REGION = $null
        $env:AWS_DEFAULT_REGION = $null
        try {
            $line = "Start-UeStepFunction -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn $($script:Standard.Machine):"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) |
                Should -Be @($script:Standard.Alias, $script:Standard.Version2, $script:Standard.Version1)
            $prefix = $script:Standard.Machine.Substring(0, $script:Standard.Machine.LastIndexOf(':') + 1)
            $line = "Start-UeStepFunction -EndpointUrl '$($script:Endpoint.Url)' -StateMachineArn $prefix"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Contain $script:Standard.Machine
        } finally {
            $env:AWS_ACCESS_KEY_ID = $saved.Key
            $env:AWS_SECRET_ACCESS_KEY = $saved.Secret
            $env:AWS_REGION = $saved.Region
            $env:AWS_DEFAULT_REGION = $saved.Default
        }
    }
}

Describe 'Get-UeStepFunctionExecution of a version or an alias' {
    It 'lists what ran the version (through the alias too), what went through the alias, and everything under the machine, as the endpoint has them' {
        $viaVersion1 = Start-UeStepFunction $script:Standard.Version1 @script:Conn
        $viaAlias = Start-UeStepFunction $script:Standard.Alias @script:Conn
        $viaVersion2 = Start-UeStepFunction $script:Standard.Version2 @script:Conn
        $ranVersion1 = @(Get-UeStepFunctionExecution $script:Standard.Version1 @script:Conn)
        $ranVersion1.ExecutionArn | Should -Contain $viaVersion1.result.ExecutionArn
        $ranVersion1.ExecutionArn | Should -Contain $viaAlias.result.ExecutionArn
        $ranVersion1.ExecutionArn | Should -Not -Contain $viaVersion2.result.ExecutionArn
        @($ranVersion1.StateMachineVersionArn | Select-Object -Unique) | Should -Be $script:Standard.Version1
        $throughAlias = @(Get-UeStepFunctionExecution $script:Standard.Alias @script:Conn)
        $throughAlias.ExecutionArn | Should -Contain $viaAlias.result.ExecutionArn
        $throughAlias.ExecutionArn | Should -Not -Contain $viaVersion1.result.ExecutionArn
        @($throughAlias.StateMachineAliasArn | Select-Object -Unique) | Should -Be $script:Standard.Alias
        foreach ($arn in $script:Standard.Version1, $script:Standard.Alias, $script:Standard.Machine) {
            @(Get-UeStepFunctionExecution $arn @script:Conn).ExecutionArn | Should -Be @(Get-StoredExecution $arn).executionArn -Because $arn
        }
        @(Get-UeStepFunctionExecution $script:Standard.Machine -First 3 @script:Conn).ExecutionArn |
            Should -Be @($viaVersion2.result.ExecutionArn, $viaAlias.result.ExecutionArn, $viaVersion1.result.ExecutionArn)
    }
}
