# Lays out the importable module at the repository root after `dotnet build`:
#   bin/            the cmdlet assembly and the loader (loaded by PowerShell into the default context)
#   bin/deps/       AwsStepFunctions.Core and AWSSDK.* (loaded into the module's own load context on PowerShell 7)
#   bin/deps/<rid>/ ReadyToRun images of those (the core and AWSSDK.*) for PowerShell 7 on .NET 10+ (win-x64, linux-x64): the first call
#                   after import runs precompiled code instead of waiting for the JIT. The loader falls back to the
#                   IL copies in bin/deps/ on any other runtime, OS or architecture, and Windows PowerShell never sees them.
#   bin/<rid>/      the cmdlet assembly's own image, on the same terms: the loader (the manifest's first nested module) loads
#                   it before PowerShell loads the second, bin/AwsStepFunctions.dll, which then resolves to it (Windows
#                   PowerShell loads the IL).
#   en-US/          MAML help generated from the cmdlets' metadata and docs/help (tools/New-ModuleHelp.ps1)
param(
    [string]$Configuration = 'Release',
    # Skip the MAML step (it imports the module in a child pwsh); for quick layout-only iterations.
    [switch]$SkipHelp,
    # Lay out IL only (no bin/deps/<rid>/ images); the module works the same, its first call is slower.
    [switch]$SkipReadyToRun
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$RepoRoot = Split-Path -Parent $PSScriptRoot
$bin = Join-Path $RepoRoot 'bin'
$deps = Join-Path $bin 'deps'
$publish = Join-Path $RepoRoot 'artifacts/publish/module'

if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
& dotnet publish (Join-Path $RepoRoot 'src/AwsStepFunctions/AwsStepFunctions.csproj') -c $Configuration --no-build -nologo -v q -o $publish | Out-Null
if ($LASTEXITCODE) { throw "dotnet publish failed ($LASTEXITCODE)" }
$loader = Join-Path $RepoRoot "src/AwsStepFunctions.Loader/bin/$Configuration/netstandard2.0/AwsStepFunctions.Loader.dll"
if (-not (Test-Path $loader)) { throw "The loader is not built ($loader). Build the solution first." }

if (Test-Path $bin) { Remove-Item -Recurse -Force $bin }
New-Item -ItemType Directory -Force $deps | Out-Null

# Only the cmdlet assembly and the loader sit where PowerShell looks; everything they depend on goes to
# deps/, out of reach of PowerShell's own probing, so only the loader decides where it comes from.
$defaultContext = @('AwsStepFunctions.dll', 'AwsStepFunctions.pdb')
foreach ($file in Get-ChildItem $publish -File) {
    if ($file.Extension -notin '.dll', '.pdb') { continue }
    $target = if ($file.Name -in $defaultContext) { $bin } else { $deps }
    Copy-Item $file.FullName $target
}
Copy-Item $loader $bin
$loaderPdb = [IO.Path]::ChangeExtension($loader, '.pdb')
if (Test-Path $loaderPdb) { Copy-Item $loaderPdb $bin }

# The assemblies precompiled per platform: ours and the AWS SDK's. The rest of bin/deps (System.Text.Json and
# friends) is never loaded from there on PowerShell 7, which has newer, already precompiled copies of its own.
# AWSSDK.SSO and AWSSDK.SSOOIDC load only for an IAM Identity Center profile; they are compiled too, and are references
# of the core's image, whose SSO code calls them.
$readyToRunAssemblies = @('AwsStepFunctions.Core', 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC')
$cmdletAssembly = Join-Path $bin 'AwsStepFunctions.dll'
# The cmdlet assembly's reference to PowerShell: the System.Management.Automation of the pwsh running this build (the pinned
# .NET tool). It stays outside the image's version bubble, like every other reference, so the image is valid with any
# PowerShell 7 on .NET 10+, and the Windows image may be compiled against the Unix copy: only its metadata is read.
$powerShellReference = Join-Path $PSHOME 'System.Management.Automation.dll'
Import-Module (Join-Path $PSScriptRoot 'ReadyToRun.psm1') -Force
$readyToRunTargets = Get-ReadyToRunTargets

# Compiles bin/deps/<rid>/ from the IL in bin/deps, and bin/<rid>/ from the cmdlet assembly. The images are cached under
# artifacts/readytorun/<rid>, keyed by a hash of the IL and the compiler, so an unchanged build copies them instead of
# compiling again.
function New-ReadyToRunImages {
    if (-not (Test-Path $powerShellReference)) { throw "the build's PowerShell has no $powerShellReference to compile the cmdlet assembly against" }
    $dependencies = $readyToRunAssemblies | ForEach-Object { Join-Path $deps "$_.dll" }
    $inputs = @($dependencies) + $cmdletAssembly
    $compiler = $null
    # One key for every target: the same inputs and compiler version, hashed once.
    $key = (($inputs | ForEach-Object { (Get-FileHash -Algorithm SHA256 $_).Hash }) + (Get-PinnedVersion 'Microsoft.NETCore.App.Runtime.linux-x64')) -join ','
    foreach ($rid in $readyToRunTargets.Keys) {
        $cache = Join-Path $RepoRoot "artifacts/readytorun/$rid"
        $stamp = Join-Path $cache 'inputs.key'
        if (-not ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $key)) {
            if (-not $compiler) { $compiler = Get-ReadyToRunCompiler }
            if (Test-Path $cache) { Remove-Item -Recurse -Force $cache }
            New-Item -ItemType Directory -Force $cache | Out-Null
            foreach ($assembly in $inputs) {
                # The other inputs are references, each image its own version bubble.
                $references = @($inputs | Where-Object { $_ -ne $assembly })
                if ($assembly -eq $cmdletAssembly) { $references += $powerShellReference }
                Invoke-ReadyToRunCompiler -Compiler $compiler -Assembly $assembly -OutputPath (Join-Path $cache (Split-Path -Leaf $assembly)) -Rid $rid -References $references
            }
            Set-Content -Encoding utf8NoBOM $stamp $key
        }
        foreach ($assembly in $inputs) {
            $layoutDir = if ($assembly -eq $cmdletAssembly) { $bin } else { $deps }
            $ridDir = Join-Path $layoutDir $rid
            New-Item -ItemType Directory -Force $ridDir | Out-Null
            Copy-Item (Join-Path $cache (Split-Path -Leaf $assembly)) $ridDir
        }
    }
}

if (-not $SkipReadyToRun) {
    try { New-ReadyToRunImages }
    catch {
        # The IL layout is complete and correct on its own; only the first call's speed depends on this step.
        Write-Warning "ReadyToRun images were not built, the module uses IL only: $($_.Exception.Message)"
        Get-ChildItem $deps, $bin -Directory | Where-Object Name -in $readyToRunTargets.Keys | Remove-Item -Recurse -Force
    }
}

if (-not $SkipHelp) {
    # A child pwsh imports the freshly laid-out module to read its metadata; the build's own session
    # never loads (and so never locks) the module's assemblies.
    # $PSHOME's own executable: under `dotnet pwsh` the current process is dotnet itself.
    $pwsh = Join-Path $PSHOME $(if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'pwsh.exe' } else { 'pwsh' })
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'New-ModuleHelp.ps1') -ModulePath (Join-Path $RepoRoot 'AwsStepFunctions.psd1')
    if ($LASTEXITCODE) { throw "Help generation failed ($LASTEXITCODE)" }
}
