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
            new Thread(RunPrewarm) { IsBackground = true, Name = "AwsStepFunctions prewarm" }.Start();
        }

        /// <summary>
        /// The thread's entry, which names nothing of the core: when the core cannot load (a damaged copy of the module), the
        /// failure surfaces inside this try, not as an unhandled exception that would end the process.
        /// </summary>
        private static void RunPrewarm()
        {
            try { StartPrewarm(); }
            catch (System.Exception) { /* best effort; the first call loads whatever did not load here, and reports it */ }
        }

        // Not inlined: compiling this method is what loads the core, and that must happen inside RunPrewarm's try.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StartPrewarm() => Core.Prewarm.Run();
    }
}
