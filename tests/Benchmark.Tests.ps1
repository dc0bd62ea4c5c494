# Keeps the benchmark (issue 5) working: bench/Invoke-Benchmarks.ps1 -Quick runs every section with tiny
# counts in a child pwsh, against the built module and endpoint, and must exit 0 with a complete report in
# artifacts/bench/. The numbers themselves are not asserted: a loaded CI machine says nothing about speed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Get-RepoRoot
    $script:Report = Join-Path $script:Root 'artifacts/bench'
    # A stale report from an earlier run must not pass for this one.
    foreach ($name in 'BENCHMARKS.md', 'benchmarks.json') {
        $path = Join-Path $script:Report $name
        if (Test-Path $path) { Remove-Item -Force $path }
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $script:Output = & (Get-PwshPath) -NoProfile -NonInteractive -File (Join-Path $script:Root 'bench/Invoke-Benchmarks.ps1') -Quick 2>&1
    $script:ExitCode = $LASTEXITCODE
    $script:Seconds = $clock.Elapsed.TotalSeconds
    $script:OutputText = ($script:Output | Out-String)
}

Describe 'bench/Invoke-Benchmarks.ps1 -Quick' {
    It 'exits 0 (every section ran)' {
        $because = "the benchmark printed:`n$script:OutputText"
        $script:ExitCode | Should -Be 0 -Because $because
    }

    It 'stays a smoke run: well within the time CI can give it' {
        # About 70 s on an idle machine; 131 to 217 s in CI, where it shares the 2 cores with the task tests. The bound
        # leaves room for that, not for a full run (about 750 s).
        $script:Seconds | Should -BeLessThan 360
    }

    It 'writes a Markdown report with every section' {
        $md = Join-Path $script:Report 'BENCHMARKS.md'
        $md | Should -Exist
        $text = Get-Content -Raw $md
        foreach ($heading in '## Machine', '## Targets', '## 1. Cold start', '## 2. Import and first call', '## 3. Warm calls',
            '## 4. Parallel starts', '## 5. Waiting', '## 6. Memory', '## 7. Local endpoint under load') {
            $text | Should -Match ([regex]::Escape($heading)) -Because "the report must have its '$heading' section"
        }
    }

    It 'writes the JSON results with every section measured, no failure, and a verdict per target' {
        $json = Join-Path $script:Report 'benchmarks.json'
        $json | Should -Exist
        $results = Get-Content -Raw $json | ConvertFrom-Json
        $results.quick | Should -BeTrue
        @($results.failures).Count | Should -Be 0
        foreach ($section in 'cold', 'import', 'warm', 'memory', 'parallel', 'waiting', 'endpointLoad') {
            $results.sections.$section | Should -Not -BeNullOrEmpty -Because "section '$section' must have results"
        }
        $results.sections.warm.startPerCallMs | Should -BeGreaterThan 0
        $results.sections.warm.floorStartPerCallMs | Should -BeGreaterThan 0
        $results.sections.import.firstCallMedianMs | Should -BeGreaterThan 0
        $results.sections.import.binaryImportMedianMs | Should -BeGreaterThan 0 -Because 'the binary-module yardstick must have been imported'
        $results.sections.import.binaryFormattedImportMedianMs | Should -BeGreaterThan 0 -Because 'the yardstick with the module''s format file must have been imported'
        $results.sections.parallel.moduleExecutionsPerSecond | Should -BeGreaterThan 0
        $targets = @($results.targets)
        $targets.Count | Should -BeGreaterThan 5
        foreach ($t in $targets) { $t.status | Should -BeIn @('met', 'NOT MET') -Because "target '$($t.target)'" }
    }
}

BeforeDiscovery {
    # The images this checkout builds and the loader picks here; elsewhere the module runs on the IL copies.
    $IsLinuxX64 = $IsLinux -and [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64'
}

# The first-call speed-up (issue 5): tools/Build-Module.ps1 precompiles the core and the AWS SDK per platform into
# bin/deps/<rid>/, and the loader picks them on PowerShell 7 (.NET 10+) on that platform, else the IL copies.
Describe 'ReadyToRun images of the module''s dependencies' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Deps = Join-Path (Get-RepoRoot) 'bin/deps'
        $script:Precompiled = 'AwsStepFunctions.Core', 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC'
        Import-Module (Join-Path (Get-RepoRoot) 'tools/ReadyToRun.psm1') -Force
        function Test-ReadyToRun { param([string]$Path) (Get-AssemblyCodeKind $Path) -eq 'ReadyToRun' }
    }

    It 'has a precompiled image of <_> for linux-x64 and win-x64, the same assembly as the IL copy beside it' -ForEach @('AwsStepFunctions.Core', 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC') {
        $il = Join-Path $script:Deps "$_.dll"
        Test-ReadyToRun $il | Should -BeFalse -Because 'bin/deps keeps the IL that Windows PowerShell and other platforms load'
        foreach ($rid in 'linux-x64', 'win-x64') {
            $image = Join-Path $script:Deps "$rid/$_.dll"
            $image | Should -Exist
            Test-ReadyToRun $image | Should -BeTrue -Because "$image must carry precompiled code"
            [Reflection.AssemblyName]::GetAssemblyName($image).FullName | Should -Be ([Reflection.AssemblyName]::GetAssemblyName($il).FullName)
        }
    }

    It 'runs on the precompiled pwsh that build.ps1 Test asked for (a copy that failed to build would only warn)' -Skip:(-not $IsLinuxX64 -or $env:AWSSTEPFUNCTIONS_TEST_PWSH -ne 'precompiled') {
        Test-ReadyToRun (Join-Path $PSHOME 'System.Management.Automation.dll') | Should -BeTrue -Because "the suite runs on $PSHOME"
    }

    It 'has a precompiled image of the cmdlet assembly for linux-x64 and win-x64 in bin/<rid>, the same assembly as bin/AwsStepFunctions.dll' {
        $il = Join-Path (Get-RepoRoot) 'bin/AwsStepFunctions.dll'
        Test-ReadyToRun $il | Should -BeFalse -Because 'bin/ keeps the IL that Windows PowerShell and other platforms load'
        foreach ($rid in 'linux-x64', 'win-x64') {
            $image = Join-Path (Get-RepoRoot) "bin/$rid/AwsStepFunctions.dll"
            $image | Should -Exist
            Test-ReadyToRun $image | Should -BeTrue -Because "$image must carry precompiled code"
            [Reflection.AssemblyName]::GetAssemblyName($image).FullName | Should -Be ([Reflection.AssemblyName]::GetAssemblyName($il).FullName)
        }
    }

    Context 'a session against the local endpoint' -Skip:(-not $IsLinuxX64) {
        BeforeAll {
            $script:Work = Join-Path ([IO.Path]::GetTempPath()) "r2r-$([guid]::NewGuid().ToString('n'))"
            $script:Endpoint = Start-TestEndpoint -WorkDirectory $script:Work
            # Runs $Child (param($Manifest, $Url, $Machine)) in a fresh pwsh; returns the JSON it answers with.
            function Invoke-ModuleChild {
                param([scriptblock]$Child)
                $command = "& { $Child } '$(Get-ModuleManifestPath)' '$($script:Endpoint.Url)' '$(Get-StateMachineArn Hello)'"
                & (Get-PwshPath) -NoProfile -NonInteractive -Command $command | ConvertFrom-Json
            }
        }
        AfterAll {
            $script:Endpoint.Stop()
            Remove-Item -Recurse -Force $script:Work -ErrorAction Ignore
        }

        It 'loads the images on this platform, and the IL copies when AWSSTEPFUNCTIONS_DISABLE_READYTORUN is set; both run an execution' {
            $child = {
                param($Manifest, $Url, $Machine)
                $ErrorActionPreference = 'Stop'
                Import-Module $Manifest
                $key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', (ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force))
                $out = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Credential $key
                $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'AwsStepFunctions', 'AwsStepFunctions.Core', 'AWSSDK.Core' }
                [pscustomobject]@{ ExitCode = $out.exit_code; Locations = @($loaded | ForEach-Object Location) } | ConvertTo-Json -Compress
            }
            $precompiled = Invoke-ModuleChild $child
            $env:AWSSTEPFUNCTIONS_DISABLE_READYTORUN = '1'
            try { $il = Invoke-ModuleChild $child }
            finally { Remove-Item Env:AWSSTEPFUNCTIONS_DISABLE_READYTORUN }

            $precompiled.ExitCode | Should -Be 0
            $il.ExitCode | Should -Be 0
            foreach ($name in 'AwsStepFunctions.Core', 'AWSSDK.Core') {
                $precompiled.Locations | Should -Contain (Join-Path $script:Deps "linux-x64/$name.dll")
                $il.Locations | Should -Contain (Join-Path $script:Deps "$name.dll")
            }
            # The cmdlets themselves: the image the loader loaded ahead of PowerShell, or the manifest's IL copy.
            $precompiled.Locations | Should -Contain (Join-Path (Get-RepoRoot) 'bin/linux-x64/AwsStepFunctions.dll')
            $il.Locations | Should -Contain (Join-Path (Get-RepoRoot) 'bin/AwsStepFunctions.dll')
            @($precompiled.Locations + $il.Locations | Where-Object { (Split-Path -Leaf $_) -eq 'AwsStepFunctions.dll' }).Count | Should -Be 2 -Because 'each session loads one copy of the cmdlet assembly'
        }

        It 're-imported in a session that already runs the IL cmdlet assembly, keeps it and still starts an execution' {
            $result = Invoke-ModuleChild {
                param($Manifest, $Url, $Machine)
                $ErrorActionPreference = 'Stop'
                $env:AWSSTEPFUNCTIONS_DISABLE_READYTORUN = '1'
                Import-Module $Manifest
                Remove-Module AwsStepFunctions
                Remove-Item Env:AWSSTEPFUNCTIONS_DISABLE_READYTORUN
                Import-Module $Manifest -Force
                $key = [pscredential]::new('AKIAIOSFODNN7EXAMPLE', (ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force))
                $out = Start-UeStepFunction $Machine -Region us-east-1 -EndpointUrl $Url -Credential $key
                $copies = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AwsStepFunctions' }
                [pscustomobject]@{
                    ExitCode = $out.exit_code; Locations = @($copies | ForEach-Object Location)
                    Implementing = (Get-Command Start-UeStepFunction).ImplementingType.Assembly.Location
                } | ConvertTo-Json -Compress
            }
            $result.ExitCode | Should -Be 0
            @($result.Locations) | Should -Be @(Join-Path (Get-RepoRoot) 'bin/AwsStepFunctions.dll') -Because 'the image must not load beside the IL copy the session already runs'
            $result.Implementing | Should -Be (Join-Path (Get-RepoRoot) 'bin/AwsStepFunctions.dll')
        }
    }
}
