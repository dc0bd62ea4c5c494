# UeStepFunctionTask.ps1 run the way a Universal Agent runs it: `pwsh -File` in a fresh process. Every
# exit code of the extension's table is produced for real against the local endpoint. The independent
# runs start together in BeforeAll (each is a separate pwsh) and each It checks its own.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "task-$([guid]::NewGuid().ToString('n'))"
    $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
    $script:Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    $e = $script:Endpoint
    # STS is served by the same endpoint.
    $sts = @{ AWS_ENDPOINT_URL_STS = $e.Url }
    $noKeys = { param($machine) Get-TaskArguments $e $machine -NoCredentials }
    $script:NamedRun = "named$([guid]::NewGuid().ToString('n').Substring(0, 8))"

    # -InputFile: input larger than one Linux argument may be (128 KiB) and the files a Windows scheduler's step may write.
    $inputs = Join-Path $script:Work 'inputs'
    New-Item -ItemType Directory -Force $inputs | Out-Null
    $script:LargePayload = 'Zürich ' + ('x' * (200 * 1024))
    $utf8 = [Text.UTF8Encoding]::new($false)
    [IO.File]::WriteAllText((Join-Path $inputs 'large.json'), (@{ payload = $script:LargePayload } | ConvertTo-Json -Compress), $utf8)
    # What Windows PowerShell 5.1's Out-File writes: UTF-16 LE with a byte order mark.
    [IO.File]::WriteAllText((Join-Path $inputs 'utf16.json'), '{"city":"日本"}', [Text.Encoding]::Unicode)
    [IO.File]::WriteAllText((Join-Path $inputs 'empty.json'), " `n", $utf8)
    [IO.File]::WriteAllBytes((Join-Path $inputs 'latin1.json'), [byte[]](0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D))
    [IO.File]::WriteAllText((Join-Path $inputs 'over.json'), ('{"a":"' + ('y' * 262144) + '"}'), $utf8)
    [IO.File]::WriteAllText((Join-Path $inputs 'huge.json'), ('{"a":"' + ('z' * (2 * 1024 * 1024)) + '"}'), $utf8)
    [IO.File]::WriteAllText((Join-Path $inputs 'broken.json'), '{oops', $utf8)
    # Each refused run is given its own execution name, so that the test can show no execution of that name was started.
    $script:FileRunPrefix = "if$([guid]::NewGuid().ToString('n').Substring(0, 8))-"
    $fromFile = { param($name, $plan) (Get-TaskArguments $e Hello) + @('-InputFile', (Join-Path $inputs $name), '-ExecutionName', "$($script:FileRunPrefix)$plan") }
    $script:InputFiles = $inputs

    $plans = [ordered]@{
        FileLarge        = @{ Arguments = (Get-TaskArguments $e Short) + @('-Wait', '-InputFile', (Join-Path $inputs 'large.json')) }
        FileAndJson      = @{ Arguments = (& $fromFile 'large.json' FileAndJson) + @('-InputJson', '{"k":"v"}') }
        FileControl      = @{ Arguments = & $fromFile 'utf16.json' FileControl }
        FileMissing      = @{ Arguments = & $fromFile 'missing.json' FileMissing }
        FileFolder       = @{ Arguments = (Get-TaskArguments $e Hello) + @('-InputFile', $inputs, '-ExecutionName', "$($script:FileRunPrefix)FileFolder") }
        FileEmpty        = @{ Arguments = & $fromFile 'empty.json' FileEmpty }
        FileNotUtf8      = @{ Arguments = & $fromFile 'latin1.json' FileNotUtf8 }
        FileOverLimit    = @{ Arguments = & $fromFile 'over.json' FileOverLimit }
        FileHuge         = @{ Arguments = & $fromFile 'huge.json' FileHuge }
        FileBadJson      = @{ Arguments = & $fromFile 'broken.json' FileBadJson }
        NoWait           = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Timeout', '60', '-StopOnCancel') }
        # A scheduler sends every field, empty when unset.
        EmptyFields      = @{ Arguments = Get-TaskArguments $e Hello -Set @{ RunCount = ''; PollingInterval = ''; Input = ''; Timeout = '' } }
        LongName         = @{ Arguments = (Get-TaskArguments $e Hello) + @('-ExecutionName', (('n' * 79) + [guid]::NewGuid().ToString('n').Substring(0, 1))) }
        ProfileIgnored   = @{ Arguments = (Get-TaskArguments $e Hello) + @('-ProfileName', 'nosuch') }
        Verbose          = @{ Arguments = (Get-TaskArguments $e Hello) + '-Verbose' }
        NonAscii         = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Input', '{"city":"Zürich 日本"}') }
        StrayArgument    = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Bogus', 'x') }
        SwitchWithValue  = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Wait', 'true') }
        HugeRunCount     = @{ Arguments = (Get-TaskArguments $e Hello) + @('-RunCount', '99999999999') }
        WaitEnvKeys      = @{ Arguments = (& $noKeys Short) + '-Wait'; Environment = @{ AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = $script:Secret } }
        StringTrue       = @{ Arguments = (Get-TaskArguments $e Short) + @('-WaitForSuccessOrFailure', 'true', '-Input', '{"k":"v"}', '-ExecutionName', $script:NamedRun) }
        StringFalse      = @{ Arguments = (Get-TaskArguments $e Slow) + @('-WaitForSuccessOrFailure', 'no') }
        SpacedFalse      = @{ Arguments = (Get-TaskArguments $e Slow) + @('-WaitForSuccessOrFailure', ' FALSE ') }
        SpacedTrue       = @{ Arguments = (Get-TaskArguments $e Hello) + @('-WaitForSuccessOrFailure', ' True') }
        Role             = @{ Arguments = (Get-TaskArguments $e Hello) + @('-RoleArn', 'arn:aws:iam::123456789012:role/Runner', '-Wait'); Environment = $sts }
        FailState        = @{ Arguments = (Get-TaskArguments $e Fails) + '-Wait' }
        MachineTimeout   = @{ Arguments = (Get-TaskArguments $e TimesOut) + '-Wait' }
        WrongSecret      = @{ Arguments = (& $noKeys Hello) + @('-CredentialsUser', 'AKIAIOSFODNN7EXAMPLE', '-CredentialsPassword', 'wrong-secret-wrong-secret-wrong-secret00') }
        UnknownKey       = @{ Arguments = (& $noKeys Hello) + @('-CredentialsUser', 'AKIAUNKNOWNKEY000000', '-CredentialsPassword', $script:Secret) }
        DeniedUser       = @{ Arguments = (& $noKeys Hello) + @('-CredentialsUser', 'AKIAREADERONLY000001', '-CredentialsPassword', 'readerSecretKey/Example0000000000000000') }
        SeedPermissions  = @{ Arguments = (& $noKeys Short) + @('-Wait', '-CredentialsUser', 'AKIASTARTERONLY00001', '-CredentialsPassword', 'starterSecretKey/Example000000000000000') }
        SeedPermsExpress = @{ Arguments = (& $noKeys HelloExpress) + @('-Wait', '-CredentialsUser', 'AKIASTARTERONLY00001', '-CredentialsPassword', 'starterSecretKey/Example000000000000000') }
        DeniedRole       = @{ Arguments = (Get-TaskArguments $e Hello) + @('-RoleArn', 'arn:aws:iam::123456789012:role/Untrusted'); Environment = $sts }
        ClosedPort       = @{ Arguments = @('-StateMachineArn', (Get-StateMachineArn Hello), '-Region', 'us-east-1', '-EndpointUrl', "http://127.0.0.1:$(Get-ClosedPort)", '-CredentialsUser', 'AKIAIOSFODNN7EXAMPLE', '-CredentialsPassword', $script:Secret) }
        ClosedProxy      = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Proxy', "http://127.0.0.1:$(Get-ClosedPort)") }
        BadArn           = @{ Arguments = Get-TaskArguments $e Hello -Set @{ StateMachineArn = 'not-an-arn' } }
        BadJson          = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Input', '{oops') }
        BadInterval      = @{ Arguments = Get-TaskArguments $e Hello -Set @{ PollingInterval = 'soon' } }
        BadBoolean       = @{ Arguments = (Get-TaskArguments $e Hello) + @('-WaitForSuccessOrFailure', 'maybe') }
        BadName          = @{ Arguments = (Get-TaskArguments $e Hello) + @('-ExecutionName', 'bad name?') }
        BadAction        = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Action', 'Stop Everything') }
        LowerCaseAction  = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Action', ' start asynchronous execution ') }
        NoRegion         = @{ Arguments = @('-StateMachineArn', (Get-StateMachineArn Hello), '-EndpointUrl', $e.Url, '-CredentialsUser', 'AKIAIOSFODNN7EXAMPLE', '-CredentialsPassword', $script:Secret) }
        OtherRegion      = @{ Arguments = Get-TaskArguments $e Hello -Set @{ Region = 'eu-west-1' } }
        BadProxy         = @{ Arguments = Get-TaskArguments $e Hello -Set @{ Proxy = 'not a url' } }
        # Text in -Credential (a scheduler cannot pass a PSCredential): a field error, never a password prompt.
        # Bad input is judged before any credential is looked for: 20, not 2, when there are none at all.
        BadJsonNoKeys    = @{ Arguments = @('-StateMachineArn', (Get-StateMachineArn Hello), '-EndpointUrl', $e.Url, '-Region', 'us-east-1', '-Input', '{oops') }
        CredentialText   = @{ Arguments = @('-StateMachineArn', (Get-StateMachineArn Hello), '-EndpointUrl', $e.Url, '-Region', 'us-east-1', '-Credential', $script:Secret) }
        UnknownMachine   = @{ Arguments = Get-TaskArguments $e Hello -Set @{ StateMachineArn = (Get-StateMachineArn DoesNotExist) } }
        # A proxy password holding a comma (a list separator elsewhere) and "://" (a scheme elsewhere): no part of it may be
        # shown, by the module or by the task's own output for a field it refuses first.
        ProxyComma       = @{ Arguments = (Get-TaskArguments $e Hello) + @('-Proxy', "http://bob:$($script:Secret.Substring(0, 12)),x://$($script:Secret.Substring(12))@127.0.0.1:1") }
        ProxyCommaBadRun = @{ Arguments = (Get-TaskArguments $e Hello -Set @{ RunCount = 'abc' }) + @('-Proxy', "http://bob:$($script:Secret.Substring(0, 12)),x://$($script:Secret.Substring(12))@127.0.0.1:1") }
        # Blank fields are unset ones, whichever the field: the region comes from the ARN, no proxy, no profile, no role.
        BlankFields      = @{ Arguments = (Get-TaskArguments $e Hello -NoCredentials -Set @{ Region = ' '; ProfileName = ' '; RoleArn = ' '; ProxyType = ' '
                ProxyCaBundleFile = ' '; Proxy = ' , '; Action = ' '; ExecutionName = ' '; CredentialsUser = ' '; CredentialsPassword = ' '
                ProxyCredentialsUser = ' '; ProxyCredentialsPassword = ' '; Credential = ' ' })
                Environment = @{ AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; AWS_SECRET_ACCESS_KEY = $script:Secret } }
    }
    $script:Runs = @{}
    # The wrapper alone, without the module beside it: the import fails, which is "anything unexpected".
    $lonely = Join-Path $script:Work 'lonely'
    New-Item -ItemType Directory -Force $lonely | Out-Null
    Copy-Item (Get-TaskScriptPath) $lonely
    $script:Runs['NoModule'] = Start-TaskScript -Arguments ((Get-TaskArguments $e Hello) + @('-Wait', '-InputFile', 'queued.json')) -ScriptPath (Join-Path $lonely 'UeStepFunctionTask.ps1')
    # A damaged copy of the module: it imports, but its core assembly is missing. The task imports before it checks the
    # fields, so both a bad field and a good run must still end with JSON, not a crash.
    $broken = Join-Path $script:Work 'broken'
    New-Item -ItemType Directory -Force $broken | Out-Null
    $root = Split-Path (Get-ModuleManifestPath)
    foreach ($item in 'AwsStepFunctions.psd1', 'AwsStepFunctions.format.ps1xml', 'UeStepFunctionTask.ps1', 'bin') { Copy-Item -Recurse (Join-Path $root $item) $broken }
    Get-ChildItem -Recurse (Join-Path $broken 'bin/deps') -Filter 'AwsStepFunctions.Core.dll' | Remove-Item
    $brokenTask = Join-Path $broken 'UeStepFunctionTask.ps1'
    $script:Runs['BrokenCore'] = Start-TaskScript -Arguments ((Get-TaskArguments $e Hello) + '-Wait') -ScriptPath $brokenTask
    $script:Runs['BrokenCoreBadField'] = Start-TaskScript -Arguments (Get-TaskArguments $e Hello -Set @{ RunCount = 'abc' }) -ScriptPath $brokenTask
    $script:Runs['BrokenCoreBadFile'] = Start-TaskScript -Arguments ((Get-TaskArguments $e Hello) + @('-InputFile', 'no-such-input.json')) -ScriptPath $brokenTask
    # A core that is there but is no assembly (a truncated download, a disk error): every copy of it overwritten.
    $damaged = Join-Path $script:Work 'damaged'
    New-Item -ItemType Directory -Force $damaged | Out-Null
    foreach ($item in 'AwsStepFunctions.psd1', 'AwsStepFunctions.format.ps1xml', 'UeStepFunctionTask.ps1', 'bin') { Copy-Item -Recurse (Join-Path $root $item) $damaged }
    Get-ChildItem -Recurse (Join-Path $damaged 'bin/deps') -Filter 'AwsStepFunctions.Core.dll' |
        ForEach-Object { [IO.File]::WriteAllBytes($_.FullName, [byte[]](1..4096 | ForEach-Object { $_ % 251 })) }
    $script:Runs['DamagedCore'] = Start-TaskScript -Arguments (Get-TaskArguments $e Hello) -ScriptPath (Join-Path $damaged 'UeStepFunctionTask.ps1')
    # A relative path is from the task's working directory.
    $script:Runs['FileUtf16Relative'] = Start-TaskScript -Arguments ((Get-TaskArguments $e Short) + @('-Wait', '-InputFile', 'utf16.json')) -WorkingDirectory $inputs
    foreach ($name in $plans.Keys) {
        $plan = $plans[$name]
        $environment = if ($plan.Environment) { $plan.Environment } else { @{} }
        $script:Runs[$name] = Start-TaskScript -Arguments $plan.Arguments -Environment $environment
    }
    $script:Results = @{}
    function Get-Run([string]$Name) {
        if (-not $script:Results.ContainsKey($Name)) { $script:Results[$Name] = Wait-TaskScript $script:Runs[$Name] -TimeoutSeconds 180 }
        $script:Results[$Name]
    }
}

AfterAll {
    foreach ($run in @($script:Runs.Values)) { if (-not $run.Process.HasExited) { $run.Process.Kill($true) } }
    if ($script:Endpoint) { $script:Endpoint.Stop() }
    if ($script:Work -and (Test-Path $script:Work)) { Remove-Item -Recurse -Force $script:Work }
}

Describe 'Exit code 0' {
    It 'takes the region from the state machine ARN when the field is empty' {
        $run = Get-Run NoRegion
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.ExecutionArn | Should -BeLike 'arn:aws:states:us-east-1:*'
    }

    It 'takes empty fields as unset (the defaults)' {
        $run = Get-Run EmptyFields
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.name | Should -BeLike '*-1'
        $run.Json.invocation.fields.polling_interval | Should -Be 10
    }

    It 'writes plain ASCII JSON, non-ASCII text escaped, whatever the console code page' {
        $run = Get-Run NonAscii
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Stdout | Should -Not -Match '[^\x00-\x7F]'
        $run.Stdout | Should -Match ([regex]::Escape('Z\u00fcrich \u65e5\u672c'))
        $run.Json.invocation.fields.input | Should -Be '{"city":"Zürich 日本"}'
    }

    It 'starts without waiting: SUCCESS, changed, JSON on stdout, secrets masked' {
        $run = Get-Run NoWait
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'SUCCESS:*'
        $run.Json.changed | Should -BeTrue
        $run.Json.invocation.extension | Should -Be 'ue-aws-stepfunctions'
        $run.Json.invocation.fields.action | Should -Be 'Start Asynchronous Execution'
        $run.Json.invocation.fields.credentials_user | Should -Be '****'
        $run.Json.invocation.fields.credentials_password | Should -Be '****'
        $run.Stdout | Should -Not -Match ([regex]::Escape($script:Secret))
        $run.Json.result.name | Should -BeLike '*-1'
        $run.Json.result.startDate | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$'
        # The scheduler's polling interval, timeout and -StopOnCancel without a wait: echoed, and no warning on stdout.
        $run.Stdout.TrimStart() | Should -Match '^\{'
        $run.Stdout | Should -Not -Match 'WARNING'
        $run.Stderr | Should -BeNullOrEmpty -Because 'a success writes nothing to stderr'
        $run.Json.invocation.fields.polling_interval | Should -Be 0.2
    }

    It 'writes the module''s warnings to stderr, keeping stdout one JSON document' {
        $run = Get-Run ProfileIgnored
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'RUNNING'
        $run.Stdout | Should -Not -Match 'WARNING'
        $run.Stderr | Should -Match "(?m)^WARNING: -ProfileName is ignored: -Credential gives the credentials\."
    }

    It 'refuses an execution name that cannot keep its run-count suffix within 80 characters, starting nothing' {
        # Cut to fit, two names that differ only at their end would be one execution, the second start reported as started.
        $run = Get-Run LongName
        $run.ExitCode | Should -Be 20 -Because $run.Stdout
        $run.Json.status_description | Should -Match "execution_name is 80 characters; with the suffix '-1' \(run_count 1\) it may have at most 78"
        $run.Json.result | Should -BeNullOrEmpty
    }

    It 'writes -Verbose lines to stderr too: stdout stays the JSON alone' {
        $run = Get-Run Verbose
        $run.ExitCode | Should -Be 0 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.result.status | Should -Be 'RUNNING'
        $run.Stdout | Should -Not -Match 'VERBOSE'
        $run.Stderr | Should -Match "(?m)^VERBOSE: Starting an execution of $([regex]::Escape((Get-StateMachineArn Hello)))"
    }

    It 'waits for SUCCEEDED with -Wait, keys from the environment' {
        $run = Get-Run WaitEnvKeys
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'SUCCEEDED'
        $run.Json.invocation.fields.wait_for_success_or_failure | Should -BeTrue
    }

    It 'reads the seed''s string booleans: -WaitForSuccessOrFailure true waits, no and false do not (any case, spaces around)' {
        $run = Get-Run StringTrue
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'SUCCEEDED'
        $run.Json.result.name | Should -Be "$($script:NamedRun)-1"
        foreach ($notWaiting in 'StringFalse', 'SpacedFalse') {
            $run = Get-Run $notWaiting
            $run.ExitCode | Should -Be 0 -Because $run.Stdout
            $run.Json.result.status | Should -Be 'RUNNING'
            $null = Stop-UeStepFunction $run.Json.result.executionArn -Region us-east-1 -EndpointUrl $script:Endpoint.Url -Credential (Get-TestCredential) -Confirm:$false
        }
        $run = Get-Run SpacedTrue
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'SUCCEEDED'
    }

    It 'assumes a role and waits (the seed''s role example)' {
        $run = Get-Run Role
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.invocation.fields.role_based_access | Should -BeTrue
        $run.Json.result.status | Should -Be 'SUCCEEDED'
    }

    It 'leaves $LASTEXITCODE set when called with &' {
        $failing = ConvertTo-ParameterTable (Get-TaskArguments $script:Endpoint Fails)
        $json = & (Get-TaskScriptPath) @failing -Wait
        $LASTEXITCODE | Should -Be 23
        ($json | ConvertFrom-Json).exit_code | Should -Be 23
        $hello = ConvertTo-ParameterTable (Get-TaskArguments $script:Endpoint Hello)
        $null = & (Get-TaskScriptPath) @hello
        $LASTEXITCODE | Should -Be 0
    }

    It 'called with & from a fresh session, leaves the module there as Import-Module does; run with -File, imports its assemblies directly' {
        # In its own process, the task's session ends with it, and it may skip the manifest; a caller's session must get the
        # module as Import-Module gives it: one module (no separate loader), with its format data.
        $probe = Join-Path $script:Work 'probe.ps1'
        Set-Content $probe @'
param($Task, $Arguments)
$null = & $Task @Arguments
[pscustomobject]@{
    ExitCode = $LASTEXITCODE
    Modules  = @(Get-Module | Where-Object Name -like 'AwsStepFunctions*' | ForEach-Object Name)
    Views    = @(Get-FormatData -TypeName 'AwsStepFunctions.Core.ExtensionOutput').Count
} | ConvertTo-Json -Compress
'@
        $hello = ConvertTo-ParameterTable (Get-TaskArguments $script:Endpoint Hello)
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("& '$probe' -Task '$(Get-TaskScriptPath)' -Arguments @{ $(($hello.Keys | ForEach-Object { "$_ = '$($hello[$_])'" }) -join '; ') }"))
        $session = & (Get-PwshPath) -NoProfile -NonInteractive -EncodedCommand $encoded | ConvertFrom-Json
        $session.ExitCode | Should -Be 0
        $session.Modules | Should -Be @('AwsStepFunctions')
        $session.Views | Should -Be 1

        # Run as its process, it needs neither the manifest nor the format data: a copy of the module without them works.
        $bare = Join-Path $script:Work 'bare'
        New-Item -ItemType Directory -Force $bare | Out-Null
        $root = Split-Path (Get-ModuleManifestPath)
        foreach ($item in 'UeStepFunctionTask.ps1', 'bin') { Copy-Item -Recurse (Join-Path $root $item) $bare }
        $run = Wait-TaskScript (Start-TaskScript -Arguments (Get-TaskArguments $script:Endpoint Hello) -ScriptPath (Join-Path $bare 'UeStepFunctionTask.ps1')) -TimeoutSeconds 60
        $run.ExitCode | Should -Be 0 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.result.status | Should -Be 'RUNNING'
    }
}

Describe 'Execution outcomes 23, 24, 25' {
    It 'a Fail state is 23 with the error and cause' {
        $run = Get-Run FailState
        $run.ExitCode | Should -Be 23 -Because $run.Stdout
        $run.Json.status_description | Should -Be 'FAILED: Step Function is in FAILED state.'
        $run.Json.result.error | Should -Be 'Custom.Broken'
        $run.Json.result.cause | Should -Be 'the test asked for it'
        # The reason is on stderr too, its last line, for whoever reads the task's stderr rather than its JSON: the
        # description, then why (the execution's error and cause) and which execution.
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be "FAILED: Step Function is in FAILED state. Error: Custom.Broken. Cause: the test asked for it. Execution: $($run.Json.result.executionArn)"
    }

    It 'a long cause over several lines is one stderr line, cut at 1,000 characters; the JSON keeps it whole' {
        $machine = (Invoke-AwsCli $script:Endpoint @('stepfunctions', 'create-state-machine', '--name', 'FailsLongCause', '--role-arn', 'arn:aws:iam::123456789012:role/x',
                '--definition', '{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Custom.Long","CausePath":"$.cause"}}}')).stateMachineArn
        $cause = "first line`n  second line`r`n" + ('x' * 1200)
        $inputFile = Join-Path $script:Work 'long-cause.json'
        Set-Content -LiteralPath $inputFile -Value (@{ cause = $cause } | ConvertTo-Json -Compress) -Encoding utf8NoBOM
        $arguments = (Get-TaskArguments $script:Endpoint Hello -Set @{ StateMachineArn = $machine }) + @('-Wait', '-InputFile', $inputFile)
        $run = Wait-TaskScript (Start-TaskScript $arguments) -TimeoutSeconds 120
        $run.ExitCode | Should -Be 23 -Because $run.Stdout
        $run.Json.result.cause | Should -Be $cause
        $oneLine = 'first line second line ' + ('x' * 1200)
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be ("FAILED: Step Function is in FAILED state. Error: Custom.Long. Cause: $($oneLine.Substring(0, 1000))... " +
            "(cut; the JSON's result.cause has it whole). Execution: $($run.Json.result.executionArn)")
    }

    It 'a machine TimeoutSeconds is 25' {
        $run = Get-Run MachineTimeout
        $run.ExitCode | Should -Be 25 -Because $run.Stdout
        $run.Json.status_description | Should -Be 'FAILED: Step Function is in TIMED_OUT state.'
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be "FAILED: Step Function is in TIMED_OUT state. Error: States.Timeout. Cause: $($run.Json.result.cause.TrimEnd('.')). Execution: $($run.Json.result.executionArn)"
    }

    It 'an execution stopped while the task waits is 24' {
        $name = "stopme$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
        $task = Start-TaskScript ((Get-TaskArguments $script:Endpoint Slow) + @('-Wait', '-ExecutionName', $name))
        $conn = Get-ConnectionParameters $script:Endpoint
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 100
            $state = Get-UeStepFunctionResult $arn @conn -ErrorAction SilentlyContinue
        } until ($state -or [DateTime]::UtcNow -gt $deadline)
        if (-not $state) {
            # The task did not start the execution: say so and why, not later as a 24 expected of a task that never waited.
            # A task whose start failed has ended and its JSON says how; one still running is ended by Wait-TaskScript's timeout.
            $why = try { $early = Wait-TaskScript $task -TimeoutSeconds 5; "the task ended with exit $($early.ExitCode): $($early.Stdout) $($early.Stderr)" } catch { "$_" }
            $state | Should -Not -BeNullOrEmpty -Because "the task should have started $arn within 60 s; $why"
        }
        $null = Stop-UeStepFunction $arn @conn -Confirm:$false
        $run = Wait-TaskScript $task -TimeoutSeconds 120
        $run.ExitCode | Should -Be 24 -Because $run.Stdout
        $run.Json.status_description | Should -Be 'FAILED: Step Function is in ABORTED state.'
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be "FAILED: Step Function is in ABORTED state. Execution: $arn"
    }
}

Describe 'Cancelling the task: never a success' -Skip:$IsWindows {
    BeforeAll {
        <# Runs the task with the endpoint holding its StartExecution 8 s, sends the signal while the start is held, and returns the run. #>
        function Invoke-TaskSignalledDuringHeldStart([string[]]$Arguments, [string]$Signal) {
            $faults = "$($script:Endpoint.Url)/_local/faults"
            $null = Invoke-RestMethod -Uri $faults -Method Post -ContentType 'application/json' -Body '{"operation":"StartExecution","kind":"delay","count":1,"delayMs":8000}'
            try {
                $before = [int]((Get-EndpointCounters $script:Endpoint).StartExecution)
                $task = Start-TaskScript $Arguments
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ([int]((Get-EndpointCounters $script:Endpoint).StartExecution) -le $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                [int]((Get-EndpointCounters $script:Endpoint).StartExecution) | Should -BeGreaterThan $before -Because 'the signal must come while the start is held'
                Start-Sleep -Milliseconds 300
                & kill -s $Signal $task.Process.Id
                Wait-TaskScript $task -TimeoutSeconds 60
            } finally {
                $null = Invoke-RestMethod -Uri $faults -Method Delete
            }
        }

        <# Starts the task waiting on a Slow execution and returns it once the execution exists (the cmdlet is then waiting). #>
        function Start-WaitingTask([string[]]$Extra = @()) {
            $name = "cancel$([guid]::NewGuid().ToString('n').Substring(0, 8))"
            $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
            $task = Start-TaskScript ((Get-TaskArguments $script:Endpoint Slow) + @('-Wait', '-ExecutionName', $name) + $Extra)
            $conn = Get-ConnectionParameters $script:Endpoint
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 100
                $state = Get-UeStepFunctionResult $arn @conn -ErrorAction SilentlyContinue
            } until ($state -or [DateTime]::UtcNow -gt $deadline)
            $state | Should -Not -BeNullOrEmpty -Because "the task should have started $arn"
            Start-Sleep -Milliseconds 300
            [pscustomobject]@{ Task = $task; Arn = $arn; Conn = $conn }
        }
    }

    It 'SIGTERM (how Universal Agent cancels on Linux) with -StopOnCancel: exit 1 with the JSON, and the execution is stopped' {
        $waiting = Start-WaitingTask @('-StopOnCancel')
        & kill -s TERM $waiting.Task.Process.Id
        $run = Wait-TaskScript $waiting.Task -TimeoutSeconds 60
        $run.ExitCode | Should -Be 1 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.exit_code | Should -Be 1
        $run.Json.status_description | Should -Be "FAIL: the task was cancelled (Ctrl+C or SIGTERM): The wait was cancelled and execution $($waiting.Arn) was stopped."
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be $run.Json.status_description
        $run.Json.result.executionArn | Should -Be $waiting.Arn
        $run.Json.result.status | Should -Be 'ABORTED' -Because 'the result is read after the stop, not the last poll before it'
        $conn = $waiting.Conn
        (Get-UeStepFunctionResult $waiting.Arn @conn).result.Status | Should -Be 'ABORTED'
    }

    It 'SIGTERM with -StopOnCancel when the stop fails: says so, names the execution, and it runs on' {
        $waiting = Start-WaitingTask @('-StopOnCancel')
        $faults = "$($script:Endpoint.Url)/_local/faults"
        $null = Invoke-RestMethod -Uri $faults -Method Post -ContentType 'application/json' -Body '{"operation":"StopExecution","kind":"http500","count":1000}'
        try {
            & kill -s TERM $waiting.Task.Process.Id
            $run = Wait-TaskScript $waiting.Task -TimeoutSeconds 60
        } finally {
            $null = Invoke-RestMethod -Uri $faults -Method Delete
        }
        $run.ExitCode | Should -Be 1 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.status_description | Should -Be "FAIL: the task was cancelled (Ctrl+C or SIGTERM): The wait was cancelled; execution $($waiting.Arn) was left as it was (stopping it failed)."
        $run.Json.result.executionArn | Should -Be $waiting.Arn
        $conn = $waiting.Conn
        (Get-UeStepFunctionResult $waiting.Arn @conn).result.Status | Should -Be 'RUNNING'
        $null = Stop-UeStepFunction $waiting.Arn @conn -Confirm:$false
    }

    It 'where SIGINT is ignored (a background start without job control), SIGTERM still ends the process at once' {
        # Ctrl+C could not stop anything there, so the module must not take SIGTERM for it: the process would be unkillable.
        $name = "ignint$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/bash')
        foreach ($a in @('-c', 'trap "" INT; exec "$0" "$@"', (Get-PwshPath), '-NoProfile', '-NonInteractive', '-File', (Get-TaskScriptPath)) +
            (Get-TaskArguments $script:Endpoint Slow) + @('-Wait', '-ExecutionName', $name)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($psi)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $conn = Get-ConnectionParameters $script:Endpoint
        $arn = "arn:aws:states:us-east-1:123456789012:execution:Slow:$name-1"
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do { Start-Sleep -Milliseconds 100 } until ((Get-UeStepFunctionResult $arn @conn -ErrorAction SilentlyContinue) -or [DateTime]::UtcNow -gt $deadline)
        Start-Sleep -Milliseconds 300
        & kill -s TERM $process.Id
        $process.WaitForExit(20000) | Should -BeTrue -Because 'SIGTERM must end a process whose SIGINT is ignored'
        $process.ExitCode | Should -Be 143
        $null = $stdout.Result
        $null = Stop-UeStepFunction $arn @conn -Confirm:$false
    }

    It 'Ctrl+C while the start is still unanswered: exit 1, naming the execution it would have made and claiming no stop it cannot know of' {
        # The endpoint holds the StartExecution 8 s before it processes it: the cancel comes while nothing is known.
        $run = Invoke-TaskSignalledDuringHeldStart ((Get-TaskArguments $script:Endpoint Slow) + @('-Wait', '-StopOnCancel')) INT
        $run.ExitCode | Should -Be 1 -Because "$($run.Stdout) $($run.Stderr)"
        # The read-back is answered at once (only the start is held): the execution is not there yet, and the JSON says which.
        $run.Json.status_description | Should -Match '^FAIL: the task was cancelled \(Ctrl\+C or SIGTERM\): Cancelled while starting; no execution arn:aws:states:us-east-1:123456789012:execution:Slow:ue-\S+-1 was found when read back: the start had not taken effect then \(a request still on its way could yet\)\.$'
        $run.Json.result | Should -BeNullOrEmpty
        $run.Json.changed | Should -BeFalse
        # The task's own report echoes the fields: -Wait is the switch form of this one.
        $run.Json.invocation.fields.wait_for_success_or_failure | Should -BeTrue
    }

    It 'SIGTERM while a start without -Wait is unanswered: exit 1 with the JSON naming the execution the start would have made' {
        # Before, only waits took SIGTERM as Ctrl+C: a task cancelled during its start died with 143 and no JSON.
        $run = Invoke-TaskSignalledDuringHeldStart (Get-TaskArguments $script:Endpoint Slow) TERM
        $run.ExitCode | Should -Be 1 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.status_description | Should -Match '^FAIL: the task was cancelled \(Ctrl\+C or SIGTERM\): Cancelled while starting; no execution arn:aws:states:us-east-1:123456789012:execution:Slow:ue-\S+-1 was found when read back'
    }

    It 'Ctrl+C once the outcome is known, while the JSON is being written: the process still exits with the outcome''s code' {
        # After the outcome, Ctrl+C has nothing left to cancel: it must not stop the script between its report and its exit,
        # where pwsh -File would exit 0 however the run had ended (a failed run reported as a success: what writing the report
        # through a command, `$outcome.Json | Out-Host`, does; checked by hand, 2026-12-01). Here stdout is not
        # read until the signal has been sent, so the task is held inside its write of a JSON larger than a pipe holds (the
        # input, echoed, is ~100 KB; one argument may not exceed 128 KB on Linux).
        $bigInput = '{"pad":"' + ('x' * 100000) + '"}'
        $task = Start-TaskScript -Arguments ((Get-TaskArguments $script:Endpoint Fails -Set @{ Input = $bigInput }) + @('-Wait')) -HoldStdout
        $process = $task.Process
        try {
            # The first character arrives once the task has begun writing its report; the rest waits in the pipe.
            $first = $task.Stdout.Read()
            $first | Should -Be ([int][char]'{') -Because 'the task must have begun writing its JSON'
            Start-Sleep -Milliseconds 500
            $process.HasExited | Should -BeFalse -Because 'the task must still be writing: its JSON is larger than the pipe'
            & kill -s INT $process.Id
            Start-Sleep -Milliseconds 500
            $json = [char]$first + $task.Stdout.ReadToEnd()
            $process.WaitForExit(30000) | Should -BeTrue
            $process.ExitCode | Should -Be 23 -Because "the execution FAILED, and that was known before the signal. stderr: $($task.Stderr.Result)"
            ($json | ConvertFrom-Json).exit_code | Should -Be 23
        } finally {
            if (-not $process.HasExited) { $process.Kill($true) }
        }
    }

    It 'Ctrl+C (SIGINT) without -StopOnCancel: exit 1 with the JSON, and the execution runs on' {
        $waiting = Start-WaitingTask
        & kill -s INT $waiting.Task.Process.Id
        $run = Wait-TaskScript $waiting.Task -TimeoutSeconds 60
        $run.ExitCode | Should -Be 1 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.status_description | Should -Be "FAIL: the task was cancelled (Ctrl+C or SIGTERM): The wait was cancelled; execution $($waiting.Arn) was left running."
        $run.Json.result.executionArn | Should -Be $waiting.Arn
        $conn = $waiting.Conn
        (Get-UeStepFunctionResult $waiting.Arn @conn).result.Status | Should -Be 'RUNNING'
        $null = Stop-UeStepFunction $waiting.Arn @conn -Confirm:$false
    }
}

Describe 'Authentication and authorization: 2 and 3' {
    It 'a wrong secret is 2, and the wrong secret is not echoed' {
        $run = Get-Run WrongSecret
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHENTICATION_ERROR:*'
        $run.Stdout + $run.Stderr | Should -Not -Match 'wrong-secret'
    }

    It 'an unknown access key is 2' {
        $run = Get-Run UnknownKey
        $run.ExitCode | Should -Be 2 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHENTICATION_ERROR:*'
    }

    It 'a user without states:StartExecution is 3' {
        $run = Get-Run DeniedUser
        $run.ExitCode | Should -Be 3 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHORIZATION_ERROR:*'
    }

    It 'waits with only the seed''s permissions (StartExecution, DescribeExecution): no DescribeStateMachine needed for a STANDARD machine' {
        $run = Get-Run SeedPermissions
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'SUCCEEDED'
        $run.Json.changed | Should -BeTrue
    }

    It 'with only the seed''s permissions, an EXPRESS machine is 3: the execution it started is named, with what to grant' {
        $run = Get-Run SeedPermsExpress
        $run.ExitCode | Should -Be 3 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHORIZATION_ERROR: Started EXPRESS execution arn:aws:states:us-east-1:123456789012:express:HelloExpress:*, but cannot wait for it*Grant states:DescribeStateMachine*'
        $run.Json.changed | Should -BeTrue
        $run.Json.result.executionArn | Should -BeLike '*:express:HelloExpress:*'
    }

    It 'a role that does not trust the caller is 3' {
        $run = Get-Run DeniedRole
        $run.ExitCode | Should -Be 3 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'AUTHORIZATION_ERROR:*'
    }
}

Describe 'Connections: 10 and 11' {
    It 'a closed port is 10' {
        $run = Get-Run ClosedPort
        $run.ExitCode | Should -Be 10 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'CONNECTION_ERROR:*'
    }

    It 'a proxy that refuses connections is 11' {
        $run = Get-Run ClosedProxy
        $run.ExitCode | Should -Be 11 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'CONNECTION_ERROR: ProxyConnectionError: Failed to connect to proxy URL*'
        $run.Json.invocation.fields.use_proxy | Should -BeTrue
    }
}

Describe 'Anything unexpected: 1' {
    It 'a module whose core assembly is missing is 1 with FAIL: and still JSON, and a bad field there is still 20' {
        $run = Get-Run BrokenCore
        $run.ExitCode | Should -Be 1 -Because $run.Stdout
        $run.Json.status_description | Should -BeLike 'FAIL:*module is incomplete: its core assembly*AwsStepFunctions.Core.dll is missing*'
        # The task's own report (the core could not write one) echoes the fields: -Wait is the switch form of this one.
        $run.Json.invocation.fields.wait_for_success_or_failure | Should -BeTrue
        $bad = Get-Run BrokenCoreBadField
        $bad.ExitCode | Should -Be 20 -Because $bad.Stdout
        $bad.Json.status_description | Should -BeLike 'DATA_VALIDATION_ERROR: run_count*'
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be $run.Json.status_description
        @($bad.Stderr.Trim() -split '\r?\n')[-1] | Should -Be $bad.Json.status_description
        # The input file is read without the core too.
        $badFile = Get-Run BrokenCoreBadFile
        $badFile.ExitCode | Should -Be 20 -Because $badFile.Stdout
        $badFile.Json.status_description | Should -BeLike "DATA_VALIDATION_ERROR: input_file 'no-such-input.json' does not exist*"
        $badFile.Json.invocation.fields.input_file | Should -Be 'no-such-input.json'
    }

    It 'a module whose core assembly is damaged is 1 with FAIL: naming the file, and still JSON' {
        $run = Get-Run DamagedCore
        $run.ExitCode | Should -Be 1 -Because $run.Stdout
        $run.Json.exit_code | Should -Be 1
        $run.Json.status_description | Should -BeLike 'FAIL:*module is damaged: its core assembly*AwsStepFunctions.Core.dll cannot be read*'
    }

    It 'a module that cannot be loaded is 1 with FAIL: and still JSON' {
        $run = Get-Run NoModule
        $run.ExitCode | Should -Be 1 -Because $run.Stdout
        $run.Json.exit_code | Should -Be 1
        $run.Json.status_description | Should -BeLike 'FAIL:*AwsStepFunctions.Loader.dll*'
        @($run.Stderr.Trim() -split '\r?\n')[-1] | Should -Be $run.Json.status_description
        $run.Json.invocation.fields.credentials_password | Should -Be '****'
        # The script's own report echoes the fields as the module would: -Wait is the switch form of this one.
        $run.Json.invocation.fields.wait_for_success_or_failure | Should -BeTrue
        $run.Json.invocation.fields.input_file | Should -Be 'queued.json'
        $run.Stdout | Should -Not -Match ([regex]::Escape($script:Secret))
    }
}

Describe 'Input from a file (-InputFile)' {
    It 'starts with input larger than one command-line argument may be, and the execution gets it whole' {
        $run = Get-Run FileLarge
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Json.result.status | Should -Be 'SUCCEEDED'
        # Short passes its input through: its output is what the execution was given.
        ($run.Json.result.output | ConvertFrom-Json).payload | Should -BeExactly $script:LargePayload
        $run.Json.invocation.fields.input_file | Should -Be (Join-Path $script:InputFiles 'large.json')
        ($run.Json.invocation.fields.input | ConvertFrom-Json).payload | Should -BeExactly $script:LargePayload -Because 'the input is echoed as the module echoes it'
    }

    It 'reads UTF-16 with a byte order mark (Windows PowerShell''s Out-File), from a path relative to the working directory' {
        $run = Get-Run FileUtf16Relative
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        ($run.Json.result.output | ConvertFrom-Json).city | Should -BeExactly '日本'
        $run.Json.invocation.fields.input_file | Should -Be 'utf16.json'
    }

    BeforeAll { $script:Connection = Get-ConnectionParameters $script:Endpoint }

    It 'names its execution as the refused runs below would have (so their "started nothing" check can fail)' {
        $run = Get-Run FileControl
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $started = "arn:aws:states:us-east-1:123456789012:execution:Hello:$($script:FileRunPrefix)FileControl-1"
        (Get-UeStepFunctionResult $started @script:Connection -ErrorAction Stop).ExecutionArn | Should -Be $started
    }

    It '<Case> is 20, naming the file and the rule, and starts nothing' -ForEach @(
        @{ Case = 'a file and -InputJson both'; Run = 'FileAndJson'; Says = 'input and input_file are both given: give one of them*' }
        @{ Case = 'a file that does not exist'; Run = 'FileMissing'; Says = "input_file '*missing.json' does not exist (looked for *missing.json)." }
        @{ Case = 'a folder'; Run = 'FileFolder'; Says = "input_file '*inputs' is a folder; it must be a file*" }
        @{ Case = 'an empty file (blanks only)'; Run = 'FileEmpty'; Says = "input_file '*empty.json' is empty; it must hold the execution's input as JSON*" }
        @{ Case = 'a file that is not UTF-8'; Run = 'FileNotUtf8'; Says = "input_file '*latin1.json' is not UTF-8 text*save it as UTF-8." }
        @{ Case = 'input over 256 KiB'; Run = 'FileOverLimit'; Says = "input_file '*over.json' holds 262152 UTF-8 bytes of input; the execution's input may be at most 262144 (256 KiB)." }
        @{ Case = 'a file too large to read at all'; Run = 'FileHuge'; Says = "input_file '*huge.json' is 2097160 bytes; the execution's input may be at most 262144 UTF-8 bytes (256 KiB)." }
        @{ Case = 'a file that is not JSON (the module''s own rule)'; Run = 'FileBadJson'; Says = 'input must be a valid JSON document*' }
    ) {
        $result = Get-Run $Run
        $result.ExitCode | Should -Be 20 -Because $result.Stdout
        $result.Json.status_description | Should -BeLike "DATA_VALIDATION_ERROR: $Says"
        $result.Json.result | Should -BeNullOrEmpty
        $never = "arn:aws:states:us-east-1:123456789012:execution:Hello:$($script:FileRunPrefix)$Run-1"
        { Get-UeStepFunctionResult $never @script:Connection -ErrorAction Stop } | Should -Throw '*does not exist*'
        $result.Json.invocation.fields.input_file | Should -BeLike $(if ($Run -eq 'FileFolder') { '*inputs' } else { '*.json' })
    }
}

Describe 'Bad fields: 20' {
    It 'shows no part of a proxy password that holds a comma and ://, in the module''s JSON or in its own' {
        foreach ($name in 'ProxyComma', 'ProxyCommaBadRun') {
            $run = Get-Run $name
            $run.ExitCode | Should -Be 20 -Because $run.Stdout
            $run.Stdout + $run.Stderr | Should -Not -Match ([regex]::Escape($script:Secret.Substring(0, 12)))
            $run.Stdout + $run.Stderr | Should -Not -Match ([regex]::Escape($script:Secret.Substring(12)))
            $run.Json.invocation.fields.proxy | Should -Be 'http://****@127.0.0.1:1'
        }
        (Get-Run ProxyComma).Json.status_description | Should -BeLike 'DATA_VALIDATION_ERROR:*must not carry credentials*'
        (Get-Run ProxyCommaBadRun).Json.status_description | Should -BeLike 'DATA_VALIDATION_ERROR: run_count*'
    }

    It 'takes blank fields as unset, whichever the field' {
        $run = Get-Run BlankFields
        $run.ExitCode | Should -Be 0 -Because "$($run.Stdout) $($run.Stderr)"
        $run.Json.invocation.fields.use_proxy | Should -BeFalse
        $run.Json.result.status | Should -Be 'RUNNING'
    }

    It 'gives polling_interval as a number in its own failure JSON, as the module does, and unreadable text as given' {
        $bad = Get-Run BadBoolean
        $bad.Json.invocation.fields.polling_interval | Should -Be 0.2
        $bad.Json.invocation.fields.polling_interval -is [string] | Should -BeFalse
        (Get-Run BadInterval).Json.invocation.fields.polling_interval | Should -BeOfType [string]
    }

    It '<Case> is 20' -ForEach @(
        @{ Case = 'a malformed state machine ARN'; Run = 'BadArn' }
        @{ Case = 'input that is not JSON'; Run = 'BadJson' }
        @{ Case = 'a polling interval that is not a number'; Run = 'BadInterval' }
        @{ Case = 'a wait flag that is not a boolean'; Run = 'BadBoolean' }
        @{ Case = 'an execution name with illegal characters'; Run = 'BadName' }
        @{ Case = 'an unknown action'; Run = 'BadAction' }
        @{ Case = 'an unknown state machine'; Run = 'UnknownMachine' }
        @{ Case = 'a region other than the ARN''s (no request to the wrong region)'; Run = 'OtherRegion' }
        @{ Case = 'a proxy that is not a URL'; Run = 'BadProxy' }
        @{ Case = 'text given to -Credential'; Run = 'CredentialText' }
        @{ Case = 'input that is not JSON, with no credentials anywhere'; Run = 'BadJsonNoKeys' }
        @{ Case = 'an unknown argument (-Bogus x)'; Run = 'StrayArgument' }
        @{ Case = 'a value after a switch (-Wait true)'; Run = 'SwitchWithValue' }
        @{ Case = 'a run count too large for a whole number'; Run = 'HugeRunCount' }
    ) {
        $result = Get-Run $Run
        $result.ExitCode | Should -Be 20 -Because $result.Stdout
        $result.Json.status_description | Should -BeLike 'DATA_VALIDATION_ERROR:*'
        $result.Stdout | Should -Not -Match ([regex]::Escape($script:Secret))
    }

    It 'reads -Action as the boolean fields are read: case and surrounding blanks do not matter' {
        $run = Get-Run LowerCaseAction
        $run.ExitCode | Should -Be 0 -Because $run.Stdout
        $run.Json.result.status | Should -Be 'RUNNING'
    }
}
