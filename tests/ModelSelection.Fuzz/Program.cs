using ModelSelection.Fuzz;
using SharpFuzz;

// modelselect-fuzz TARGET: one persistent AFL++ target per reader and parser; the documented exceptions are
// outcomes, anything else is a finding (it escapes and AFL++ records the input as a crash).
if (args.Length != 1 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: ModelSelection.Fuzz {string.Join('|', Targets.All.Keys)}");
    return 2;
}

Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
