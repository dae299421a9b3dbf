namespace FlinkOpsBot.FlinkSim;

/// <summary>What kind of change a <see cref="SimMutation"/> made to the cluster.</summary>
public enum SimMutationKind
{
    /// <summary><c>POST /jobs/:jobid/stop</c> started a stop-with-savepoint (a new trigger id on a RUNNING job).</summary>
    StopWithSavepoint,

    /// <summary><c>POST /jobs/:jobid/savepoints</c> started a savepoint (a new trigger id on a RUNNING job); the job keeps running.</summary>
    Savepoint,

    /// <summary><c>POST /jobs/:jobid/savepoints</c> with <c>cancel-job: true</c> started a savepoint that cancels the job once written.</summary>
    CancelWithSavepoint,

    /// <summary><c>POST /jars/:jarid/run</c> created a job.</summary>
    JarRun,

    /// <summary><c>PATCH /jobs/:jobid?mode=cancel</c> moved a job to CANCELLING (on its way to CANCELED).</summary>
    Cancel,
}

/// <summary>
/// One effective mutating operation: a request that changed the cluster. Requests that changed nothing are not here
/// (refused ones, a trigger id Flink already knows, a cancel of a job already cancelling, a savepoint of a job that is
/// not RUNNING); the call log (<see cref="SimCluster.Calls"/>) has every request.
/// </summary>
/// <param name="Kind">What it did.</param>
/// <param name="JobId">
/// The job it acted on (32 lowercase hex): the path's job for a stop, savepoint or cancel; for a jar run, the job that
/// wrote the snapshot it restored (the upgrade's predecessor), or the created job when it started without state.
/// </param>
/// <param name="TriggerId">The savepoint operation's trigger id (client-chosen or generated); <c>null</c> for a jar run or cancel.</param>
/// <param name="ResultJobId">For a jar run, the job it created; <c>null</c> otherwise.</param>
/// <param name="SavepointPath">
/// For a stop or savepoint, the savepoint it wrote (<c>null</c> until it completes, and if it fails); for a jar run, the
/// snapshot path it restored (without a trailing <c>/_metadata</c>), <c>null</c> if none; <c>null</c> for a cancel.
/// </param>
/// <param name="Time">When it happened (simulated time).</param>
/// <param name="JarId">For a jar run, the jar it ran; <c>null</c> otherwise.</param>
public sealed record SimMutation(
    SimMutationKind Kind, string JobId, string? TriggerId, string? ResultJobId, string? SavepointPath, DateTimeOffset Time, string? JarId = null);

/// <summary>A set of mutations that did one thing more than once: what a retry must never cause.</summary>
/// <param name="Rule">
/// <c>stop</c>: a job got a second stop-with-savepoint (or cancel-with-savepoint) while an earlier one had not failed;
/// <c>restore</c>: more than one job was started from the same snapshot with the same jar; <c>cancel</c>: a job was
/// cancelled more than once.
/// </param>
/// <param name="Message">One line naming the job, snapshot or jar, and the trigger ids or jobs involved.</param>
/// <param name="Mutations">The mutations involved, oldest first.</param>
public sealed record SimDuplicate(string Rule, string Message, IReadOnlyList<SimMutation> Mutations);
