using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace BenchSessions
{
    /// <summary>
    /// Samples this process's CPU time on a timer, so the CPU of one phase of a long call (the wait, without the start
    /// before it) can be read afterwards. A sample costs one read of /proc/self/stat, the same during every measurement.
    /// </summary>
    public sealed class CpuSampler : IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<double[]> _samples = new List<double[]>();
        private readonly Process _self = Process.GetCurrentProcess();
        private readonly Timer _timer;

        public CpuSampler(int periodMs)
        {
            _timer = new Timer(_ => Sample(), null, 0, periodMs);
        }

        /// <summary>Seconds since the sampler started.</summary>
        public double Now => _clock.Elapsed.TotalSeconds;

        private void Sample()
        {
            _self.Refresh();
            var sample = new[] { _clock.Elapsed.TotalSeconds, _self.TotalProcessorTime.TotalMilliseconds };
            lock (_samples) _samples.Add(sample);
        }

        /// <summary>Milliseconds of CPU per second between the first sample at or after <paramref name="from"/> and the last at
        /// or before <paramref name="to"/> (seconds on this sampler's clock); NaN if the window holds fewer than two samples.</summary>
        public double CpuMsPerSecond(double from, double to)
        {
            double[] first = null, last = null;
            lock (_samples)
            {
                foreach (var s in _samples)
                {
                    if (s[0] < from || s[0] > to) continue;
                    first ??= s;
                    last = s;
                }
            }
            if (first == null || last == null || last[0] - first[0] <= 0) return double.NaN;
            return (last[1] - first[1]) / (last[0] - first[0]);
        }

        public void Dispose() => _timer.Dispose();
    }
}
