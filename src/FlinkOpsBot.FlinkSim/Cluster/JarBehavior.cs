namespace FlinkOpsBot.FlinkSim;

/// <summary>How the jobs of a simulated jar behave once they run.</summary>
public enum JarBehavior
{
    /// <summary>Runs and checkpoints until stopped or cancelled.</summary>
    Healthy,

    /// <summary>
    /// Fails <see cref="FlinkSimOptions.FaultyJobFailsAfter"/> after reaching RUNNING (before its first checkpoint
    /// completes) with a <c>NullPointerException</c>, restarts, fails again, and is FAILED once
    /// <see cref="FlinkSimOptions.RestartAttempts"/> are used up: a bad release.
    /// </summary>
    FailsAfterStart,

    /// <summary>
    /// Healthy when started without state; started from a savepoint or checkpoint it fails as soon as it runs
    /// (incompatible state), restarts and fails again until FAILED: a release that cannot read its old state.
    /// </summary>
    FailsOnRestore,
}
