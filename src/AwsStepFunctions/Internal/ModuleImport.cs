using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Runs when PowerShell imports the cmdlet assembly (after the loader, which routes the core into the module's own
    /// load context). Import itself stays cheap: the core is not even loaded on this thread.
    /// </summary>
    public sealed class ModuleImport : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            // A thread of its own, not a pool thread: the session's first calls need the pool's few threads (two on a two-core
            // machine) for their own continuations, and must not queue behind the warm-up.
            new Thread(StartPrewarm) { IsBackground = true, Name = "AwsStepFunctions prewarm" }.Start();
        }

        // Not inlined: the JIT would otherwise resolve the core while compiling OnImport, on the importing thread.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StartPrewarm()
        {
            try { Core.Prewarm.Run(); }
            catch (System.Exception) { /* best effort; the first call loads whatever did not load here, and reports it */ }
        }
    }
}
