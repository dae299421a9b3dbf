using System.Text;

namespace FlinkOpsBot.FlinkSim.Errors;

/// <summary>
/// A Java exception as Flink reports it: <c>class: message</c>, <c>\tat</c> frames, then <c>Caused by:</c> causes.
/// FlinkSim's errors carry plausible (invented) frames, so that clients learn to show only the first line.
/// </summary>
internal sealed record JavaException(string ClassName, string Message, IReadOnlyList<string> Frames, JavaException? Cause = null)
{
    /// <summary><c>class: message</c>, as <c>Throwable.toString()</c>.</summary>
    public string FirstLine => $"{ClassName}: {Message}";

    /// <summary>The whole trace, as <c>Throwable.printStackTrace()</c> writes it.</summary>
    public string StackTrace
    {
        get
        {
            var text = new StringBuilder(FirstLine);
            AppendFrames(text, Frames);
            for (var cause = Cause; cause is not null; cause = cause.Cause)
            {
                text.Append("\nCaused by: ").Append(cause.FirstLine);
                AppendFrames(text, cause.Frames);
            }
            return text.ToString();
        }
    }

    private static void AppendFrames(StringBuilder text, IReadOnlyList<string> frames)
    {
        foreach (var frame in frames) text.Append("\n\tat ").Append(frame);
    }
}
