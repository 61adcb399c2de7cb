/// International (INN), US (USAN) and British (BAN, old BANs still used in India) names of the
/// same substance, so that `paracetamol` and `acetaminophen` are one medicine.
///
/// Curated by hand. Sources: WHO INN lists (Recommended INN lists), the USP Dictionary of USAN
/// and International Drug Names, and the British Approved Names 2000 list of BAN changes
/// (Medicines Act, MHRA), which moved UK names to INN (`frusemide` to `furosemide`, ...).
/// Each group lists its preferred (INN) spelling first. Salts and esters (`metoprolol succinate`)
/// are different products and are deliberately not listed here.
public enum NameEquivalents {
    /// Groups of equivalent names, lower-case, INN first.
    public static let groups: [[String]] = [
        ["paracetamol", "acetaminophen"],  // INN / USAN
        ["salbutamol", "albuterol"],  // INN / USAN
        ["adrenaline", "epinephrine"],  // BAN / INN
        ["noradrenaline", "norepinephrine"],  // BAN / INN
        ["lidocaine", "lignocaine"],  // INN / old BAN
        ["furosemide", "frusemide"],  // INN / old BAN
        ["glibenclamide", "glyburide"],  // INN / USAN
        ["amoxicillin", "amoxycillin"],  // INN / old BAN
        ["cefalexin", "cephalexin"],  // INN / USAN
        ["cefazolin", "cephazolin"],
        ["ciclosporin", "cyclosporine", "cyclosporin"],  // INN / USAN / old BAN
        ["rifampicin", "rifampin"],  // INN / USAN
        ["aciclovir", "acyclovir"],  // INN / USAN
        ["valaciclovir", "valacyclovir"],
        ["bendroflumethiazide", "bendrofluazide"],  // INN / old BAN
        ["colistimethate", "colistin sulfomethate"],
        ["dosulepin", "dothiepin"],  // INN / old BAN
        ["levothyroxine", "thyroxine", "l-thyroxine"],
        ["liothyronine", "tri-iodothyronine"],
        ["methylthioninium chloride", "methylene blue"],
        ["pethidine", "meperidine"],  // INN / USAN
        ["phenobarbital", "phenobarbitone"],  // INN / old BAN
        ["phenytoin", "diphenylhydantoin"],
        ["sulfamethoxazole", "sulphamethoxazole"],  // INN / old BAN spelling
        ["sulfasalazine", "sulphasalazine"],
        ["sulfadiazine", "sulphadiazine"],
        ["chlorphenamine", "chlorpheniramine"],  // INN / USAN
        ["dexchlorpheniramine", "dexchlorphenamine"],
        ["clomifene", "clomiphene"],  // INN / USAN
        ["cinchocaine", "dibucaine"],  // INN / USAN
        ["mesalazine", "mesalamine"],  // INN / USAN
        ["metamizole", "dipyrone"],  // INN / USAN
        ["tetracaine", "amethocaine"],  // INN / old BAN
        ["procaine benzylpenicillin", "procaine penicillin"],
        ["benzylpenicillin", "penicillin g"],
        ["phenoxymethylpenicillin", "penicillin v"],
        ["isoprenaline", "isoproterenol"],  // INN / USAN
        ["orciprenaline", "metaproterenol"],  // INN / USAN
        ["ergometrine", "ergonovine"],  // INN / USAN
        ["hyoscine", "scopolamine"],  // BAN / USAN
        ["hyoscine butylbromide", "butylscopolamine", "scopolamine butylbromide"],
        ["glyceryl trinitrate", "nitroglycerin"],  // BAN / USAN
        ["ethinylestradiol", "ethinyl estradiol", "ethinyloestradiol"],
        ["estradiol", "oestradiol"],  // INN / old BAN
        ["oxetacaine", "oxethazaine"],  // INN / old name in India
        ["beclometasone", "beclomethasone"],  // INN / USAN
        ["vitamin c", "ascorbic acid"],
        ["vitamin b1", "thiamine", "thiamin"],
        ["vitamin b6", "pyridoxine"],
        ["vitamin d3", "cholecalciferol", "colecalciferol"],
        ["vitamin k1", "phytomenadione", "phytonadione"],
        ["acetylsalicylic acid", "aspirin"],
    ]

    private static let canonicalByName: [String: String] = {
        var table: [String: String] = [:]
        for group in groups {
            for name in group { table[name] = group[0] }
        }
        return table
    }()

    /// The preferred name of a substance: `acetaminophen` gives `paracetamol`; a name not in
    /// the table comes back lower-cased with its spaces collapsed. A parenthesised synonym
    /// (`Paracetamol (Acetaminophen)`, `Acetaminophen [paracetamol]`) is dropped; any other qualifier (`(Recombinant)`) is kept,
    /// since it names a different product.
    public static func canonicalName(_ name: String) -> String {
        let key = normalizedKey(name)
        // `Paracetamol (Acetaminophen)` and `Acetaminophen [paracetamol]` alike.
        if let close = key.last, close == ")" || close == "]",
            let open = key.lastIndex(of: close == ")" ? "(" : "["), open > key.startIndex
        {
            let base = String(key[..<open]).trimmingWhitespace()
            let inner = String(key[key.index(after: open)..<key.index(before: key.endIndex)]).trimmingWhitespace()
            let canonicalBase = canonicalByName[base] ?? base
            if (canonicalByName[inner] ?? inner) == canonicalBase { return canonicalBase }
        }
        return canonicalByName[key] ?? key
    }

    /// Lower case, single spaces, no emphasis.
    public static func normalizedKey(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "*" }).joined(separator: " ")
    }

    /// Whether two names are the same substance.
    public static func areEquivalent(_ first: String, _ second: String) -> Bool {
        canonicalName(first) == canonicalName(second)
    }
}
