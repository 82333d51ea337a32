using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace ModelSelection.Tests.Reliability;

/// <summary>
/// Convention (as Serilog's): every public method or constructor that takes a reference it cannot accept as null
/// documents the <see cref="ArgumentNullException"/> it throws for it, and every documented exception names a real type.
/// </summary>
public class DocumentedExceptionsTests
{
    private static readonly Assembly Library = typeof(ModelSelector).Assembly;

    private static readonly Lazy<Dictionary<string, XElement>> Docs = new(() =>
        XDocument.Load(Path.ChangeExtension(Library.Location, ".xml")).Descendants("member")
            .ToDictionary(m => m.Attribute("name")!.Value, m => m, StringComparer.Ordinal));

    private static IEnumerable<MethodBase> PublicMembers() =>
        Library.GetExportedTypes()
            .Where(t => !t.IsEnum && !typeof(Delegate).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.IsAbstract && t.IsSealed ? [] : t.GetConstructors()))
            .Where(m => !m.IsSpecialName || m is ConstructorInfo)
            .Where(m => m.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !m.Name.Contains('<', StringComparison.Ordinal))
            .Where(m => m.Name is not ("Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "PrintMembers" or "CompareTo" or "Compare" or "op_Equality" or "op_Inequality"))
            // Exceptions accept null messages by .NET convention; positional records carry data without checks.
            .Where(m => !typeof(Exception).IsAssignableFrom(m.DeclaringType) && !(m is ConstructorInfo && IsPositionalRecord(m)));

    private static bool IsPositionalRecord(MethodBase constructor) =>
        constructor.DeclaringType!.GetMethod("<Clone>$") is not null
        && constructor.DeclaringType.GetMethods().Any(d => d.Name == "Deconstruct" && d.GetParameters().Length == constructor.GetParameters().Length);

    private static string DocId(MethodBase method)
    {
        static string TypeName(Type t) => t.IsGenericType
            ? $"{t.Namespace}.{t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)]}{{{string.Join(",", t.GetGenericArguments().Select(TypeName))}}}"
            : t.IsByRef ? TypeName(t.GetElementType()!) + "@" : t.IsArray ? TypeName(t.GetElementType()!) + "[]" : (t.FullName ?? t.Name).Replace('+', '.');
        var parameters = method.GetParameters();
        var name = method is ConstructorInfo ? "#ctor" : method.Name;
        var args = parameters.Length == 0 ? string.Empty : "(" + string.Join(",", parameters.Select(p => TypeName(p.ParameterType))) + ")";
        return $"M:{method.DeclaringType!.FullName!.Replace('+', '.')}.{name}{args}";
    }

    [Fact]
    public void Every_public_member_that_refuses_null_documents_ArgumentNullException()
    {
        var nullability = new NullabilityInfoContext();
        var missing = new List<string>();
        foreach (var member in PublicMembers())
        {
            var refusesNull = member.GetParameters().Any(p => !p.ParameterType.IsValueType && !p.IsOut && nullability.Create(p).WriteState == NullabilityState.NotNull);
            if (!refusesNull || !Docs.Value.TryGetValue(DocId(member), out var doc))
            {
                continue;
            }

            if (!doc.Elements("inheritdoc").Any() && !doc.Elements("exception").Any(e => (string?)e.Attribute("cref") is "T:System.ArgumentNullException"))
            {
                missing.Add(DocId(member));
            }
        }

        Assert.True(missing.Count == 0, "Undocumented ArgumentNullException:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_documented_exception_names_an_exception_type()
    {
        foreach (var (name, doc) in Docs.Value)
        {
            foreach (var cref in doc.Elements("exception").Select(e => (string?)e.Attribute("cref")))
            {
                Assert.True(cref is not null && cref.StartsWith("T:", StringComparison.Ordinal), $"{name}: {cref}");
                var type = Type.GetType(cref[2..]) ?? Library.GetType(cref[2..]) ?? typeof(System.IO.FileNotFoundException).Assembly.GetType(cref[2..]);
                Assert.True(type is null || typeof(Exception).IsAssignableFrom(type), $"{name}: {cref} is not an exception");
            }
        }
    }

    [Fact]
    public void The_documentation_file_covers_the_public_members() =>
        Assert.True(PublicMembers().Count(m => Docs.Value.ContainsKey(DocId(m))) > 100);
}
