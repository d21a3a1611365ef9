//! England and Wales as a national year meets it: the 43 territorial police forces by their PNC
//! force codes, the 14 CPS areas, magistrates' and Crown Courts by their organisation-unit codes
//! in the MoJ standing data (`organisation-unit.json` of `bichard7-next-data`; a test checks
//! every one is there), the 12 probation regions and, in each region, a drug service and a
//! housing service. Agency codes for forces, areas and regions are Joinery's own; a court's is
//! its OU code.
//!
//! A force's cases are drawn in proportion to the people it polices (ONS mid-2021 estimates for
//! police force areas, in thousands, rounded); its cases go to its own courts, CPS area and
//! probation region.

use joinery_domain::AgencyKind;

/// A police force: PNC force code, name, Joinery agency code, people policed (thousands), the
/// CPS areas that prosecute its cases, its probation region, and its courts (OU code and
/// place) — magistrates' first, then Crown.
pub struct Force {
    pub force_code: &'static str,
    pub name: &'static str,
    pub agency: &'static str,
    pub population: u32,
    pub cps: &'static [&'static str],
    pub probation: &'static str,
    pub magistrates: &'static [(&'static str, &'static str)],
    pub crown: &'static [(&'static str, &'static str)],
}

macro_rules! force {
    ($code:literal, $name:literal, $agency:literal, $people:literal, [$($cps:literal),+], $probation:literal,
     mags [$(($m:literal, $mp:literal)),+ $(,)?], crown [$(($c:literal, $cp:literal)),+ $(,)?]) => {
        Force {
            force_code: $code,
            name: $name,
            agency: $agency,
            population: $people,
            cps: &[$($cps),+],
            probation: $probation,
            magistrates: &[$(($m, $mp)),+],
            crown: &[$(($c, $cp)),+],
        }
    };
}

/// The 43 territorial police forces of England and Wales.
pub const FORCES: [Force; 43] = [
    force!("01", "Metropolitan Police Service", "METPOL", 8800, ["CPSLDN", "CPSLDS"], "PROBLDN",
        mags [("B01IX00", "Westminster"), ("B01GU00", "Highbury Corner"), ("B01MN00", "Stratford"),
              ("B01ND00", "Thames"), ("B01CX00", "Camberwell Green"), ("B01EF00", "Croydon"),
              ("B01LY00", "Lavender Hill"), ("B01OK00", "Wimbledon"), ("B01NM00", "Uxbridge"),
              ("B01CE00", "Willesden"), ("B01GQ00", "Hendon"), ("B01LA00", "Romford"),
              ("B01BH00", "Bexley"), ("B01CN00", "Bromley"), ("B01OB00", "Hammersmith"),
              ("B01KR00", "Barkingside"), ("B01FA00", "Ealing")],
        crown [("C01CE00", "Central Criminal Court"), ("C01SW00", "Southwark"), ("C01SN00", "Snaresbrook"),
               ("C01WL00", "Woolwich"), ("C01WG00", "Wood Green"), ("C01IS00", "Isleworth"),
               ("C01KT00", "Kingston upon Thames"), ("C01HA00", "Harrow"), ("C01CY00", "Croydon"),
               ("C01IL00", "Inner London")]),
    force!(
        "48",
        "City of London Police",
        "COLPOL",
        10,
        ["CPSLDS"],
        "PROBLDN",
        mags[("B01DU00", "City of London")],
        crown[("C01CE00", "Central Criminal Court")]
    ),
    force!("03", "Cumbria Constabulary", "CUMPOL", 500, ["CPSNW"], "PROBNW",
        mags [("B03DE00", "Carlisle"), ("B03AX00", "Barrow in Furness"), ("B03OT00", "Workington")],
        crown [("C03CL00", "Carlisle")]),
    force!("04", "Lancashire Constabulary", "LANPOL", 1530, ["CPSNW"], "PROBNW",
        mags [("B04BP00", "Blackburn"), ("B04KO00", "Preston"), ("B04CO00", "Burnley"), ("B04HQ00", "Lancaster")],
        crown [("C04PR00", "Preston"), ("C04BU00", "Burnley"), ("C04LA00", "Lancaster")]),
    force!("05", "Merseyside Police", "MERPOL", 1420, ["CPSMER"], "PROBNW",
        mags [("B05PK00", "Liverpool"), ("B05BK00", "Wirral"), ("B05BW00", "South Sefton")],
        crown [("C05LV00", "Liverpool")]),
    force!("06", "Greater Manchester Police", "GMPOL", 2870, ["CPSNW"], "PROBGM",
        mags [("B06IS00", "Manchester"), ("B06BV00", "Bolton"), ("B06MK00", "Stockport"),
              ("B06OJ00", "Wigan"), ("B06AN00", "Ashton under Lyne")],
        crown [("C06MC00", "Manchester"), ("C06MM00", "Manchester Minshull Street"), ("C06BO00", "Bolton")]),
    force!("07", "Cheshire Constabulary", "CHEPOL", 1090, ["CPSMER"], "PROBNW",
        mags [("B07DM00", "Chester"), ("B07ED00", "Crewe"), ("B07FQ00", "Warrington")],
        crown [("C07CS00", "Chester"), ("C07WA00", "Warrington")]),
    force!("10", "Northumbria Police", "NUMPOL", 1460, ["CPSNE"], "PROBNE",
        mags [("B10JL00", "Newcastle"), ("B10FR00", "Gateshead"), ("B10JQ00", "North Shields"),
              ("B10LX00", "South Shields"), ("B10MR00", "Sunderland"), ("B10BD00", "Bedlington")],
        crown [("C10NE00", "Newcastle")]),
    force!("11", "Durham Constabulary", "DURPOL", 640, ["CPSNE"], "PROBNE",
        mags [("B11EI00", "Darlington"), ("B11JP00", "Newton Aycliffe"), ("B11KF00", "Peterlee")],
        crown [("C11DU00", "Durham")]),
    force!("12", "North Yorkshire Police", "NYPOL", 830, ["CPSYH"], "PROBYH",
        mags [("B12PA00", "York"), ("B12GH00", "Harrogate"), ("B12LK00", "Scarborough"), ("B12JR00", "Northallerton")],
        crown [("C12YO00", "York")]),
    force!("13", "West Yorkshire Police", "WYPOL", 2350, ["CPSYH"], "PROBYH",
        mags [("B13HT00", "Leeds"), ("B13CC00", "Bradford"), ("B13HD00", "Huddersfield")],
        crown [("C13LE00", "Leeds"), ("C13BR00", "Bradford")]),
    force!("14", "South Yorkshire Police", "SYPOL", 1380, ["CPSYH"], "PROBYH",
        mags [("B14LO00", "Sheffield"), ("B14ET00", "Doncaster"), ("B14AV00", "Barnsley")],
        crown [("C14SH00", "Sheffield"), ("C14DN00", "Doncaster")]),
    force!("16", "Humberside Police", "HUMPOL", 940, ["CPSYH"], "PROBYH",
        mags [("B16HE00", "Kingston upon Hull"), ("B16GB00", "Grimsby"), ("B16BG00", "Beverley"), ("B16LL00", "Scunthorpe")],
        crown [("C16HU00", "Kingston upon Hull"), ("C16GR00", "Grimsby")]),
    force!(
        "17",
        "Cleveland Police",
        "CLEPOL",
        570,
        ["CPSNE"],
        "PROBNE",
        mags[("B17JA00", "Teesside")],
        crown[("C17TE00", "Teesside")]
    ),
    force!("20", "West Midlands Police", "WMPOL", 2920, ["CPSWM"], "PROBWM",
        mags [("B20BL00", "Birmingham"), ("B20EB00", "Coventry"), ("B20EY00", "Dudley"),
              ("B20NQ00", "Walsall"), ("B20OQ00", "Wolverhampton")],
        crown [("C20BI00", "Birmingham"), ("C20CO00", "Coventry"), ("C20WO00", "Wolverhampton")]),
    force!("21", "Staffordshire Police", "STAPOL", 1140, ["CPSWM"], "PROBWM",
        mags [("B21JI00", "North Staffordshire Justice Centre"), ("B21DA00", "Cannock")],
        crown [("C21SF00", "Stafford"), ("C21SK00", "Stoke-on-Trent")]),
    force!("22", "West Mercia Police", "WMEPOL", 1300, ["CPSWM"], "PROBWM",
        mags [("B22OS00", "Worcester"), ("B22LQ00", "Shrewsbury"), ("B22MZ00", "Telford"),
              ("B22GR00", "Hereford"), ("B22HM00", "Kidderminster"), ("B22KS00", "Redditch")],
        crown [("C22WC00", "Worcester"), ("C22SW00", "Shrewsbury"), ("C22HE00", "Hereford")]),
    force!("23", "Warwickshire Police", "WARPOL", 600, ["CPSWM"], "PROBWM",
        mags [("B23HS00", "Leamington Spa"), ("B23PP00", "Nuneaton")], crown [("C23WR00", "Warwick")]),
    force!("30", "Derbyshire Constabulary", "DERPOL", 1060, ["CPSEM"], "PROBEM",
        mags [("B30PI00", "Derby"), ("B30PG00", "Chesterfield")], crown [("C30DE00", "Derby")]),
    force!("31", "Nottinghamshire Police", "NOTPOL", 1160, ["CPSEM"], "PROBEM",
        mags [("B31JV00", "Nottingham"), ("B31IT00", "Mansfield")], crown [("C31NT00", "Nottingham")]),
    force!("32", "Lincolnshire Police", "LINPOL", 770, ["CPSEM"], "PROBEM",
        mags [("B32HX00", "Lincoln"), ("B32BX00", "Boston"), ("B32FX00", "Grantham")],
        crown [("C32LI00", "Lincoln")]),
    force!("33", "Leicestershire Police", "LEIPOL", 1100, ["CPSEM"], "PROBEM",
        mags [("B33HU00", "Leicester"), ("B33II00", "Loughborough")],
        crown [("C33LC00", "Leicester"), ("C33LB00", "Loughborough")]),
    force!("34", "Northamptonshire Police", "NTHPOL", 790, ["CPSEM"], "PROBEM",
        mags [("B34JS00", "Northampton"), ("B34NX00", "Wellingborough")], crown [("C34NO00", "Northampton")]),
    force!("35", "Cambridgeshire Constabulary", "CAMPOL", 900, ["CPSEE"], "PROBEE",
        mags [("B35CZ00", "Cambridge"), ("B35KE00", "Peterborough"), ("B35HF00", "Huntingdon")],
        crown [("C35CM00", "Cambridge"), ("C35PE00", "Peterborough")]),
    force!("36", "Norfolk Constabulary", "NORPOL", 920, ["CPSEE"], "PROBEE",
        mags [("B36JU00", "Norwich"), ("B36HN00", "King's Lynn"), ("B36FZ00", "Great Yarmouth")],
        crown [("C36NR00", "Norwich"), ("C36KL00", "King's Lynn")]),
    force!("37", "Suffolk Constabulary", "SUFPOL", 760, ["CPSEE"], "PROBEE",
        mags [("B37HI00", "Ipswich"), ("B37CR00", "Bury St Edmunds")],
        crown [("C37IP00", "Ipswich"), ("C37BE00", "Bury St Edmunds")]),
    force!("40", "Bedfordshire Police", "BEDPOL", 690, ["CPSTC"], "PROBEE",
        mags [("B40IM00", "Luton"), ("B40BC00", "Bedford")], crown [("C40LU00", "Luton")]),
    force!("41", "Hertfordshire Constabulary", "HERPOL", 1200, ["CPSTC"], "PROBEE",
        mags [("B41ME00", "St Albans"), ("B41MJ00", "Stevenage"), ("B41NW00", "Watford"), ("B41GS00", "Hertford")],
        crown [("C41ST00", "St Albans")]),
    force!("42", "Essex Police", "ESSPOL", 1870, ["CPSEE"], "PROBEE",
        mags [("B42CM00", "Chelmsford"), ("B42AZ00", "Basildon"), ("B42CO00", "Colchester"), ("B42MB00", "Southend on Sea")],
        crown [("C42CF00", "Chelmsford"), ("C42BS00", "Basildon"), ("C42SE00", "Southend")]),
    force!("43", "Thames Valley Police", "TVPOL", 2450, ["CPSTC"], "PROBSC",
        mags [("B43KQ00", "Reading"), ("B43KB00", "Oxford"), ("B43JC00", "Milton Keynes"),
              ("B43LV00", "Slough"), ("B43OX00", "Wycombe"), ("B43AQ00", "Banbury")],
        crown [("C43RE00", "Reading"), ("C43OX00", "Oxford"), ("C43AY00", "Aylesbury"), ("C43AM00", "Amersham")]),
    force!("44", "Hampshire and Isle of Wight Constabulary", "HAMPOL", 2040, ["CPSWX"], "PROBSC",
        mags [("B44MA00", "Southampton"), ("B44KM00", "Portsmouth"), ("B44BA00", "Basingstoke"),
              ("B44AG00", "Aldershot"), ("B44JK00", "Newport (Isle of Wight)")],
        crown [("C44WI00", "Winchester"), ("C44SA00", "Southampton"), ("C44PO00", "Portsmouth")]),
    force!("45", "Surrey Police", "SURPOL", 1210, ["CPSSE"], "PROBKSS",
        mags [("B45GC00", "Guildford"), ("B45MH00", "Staines")], crown [("C45GU00", "Guildford")]),
    force!("46", "Kent Police", "KENPOL", 1880, ["CPSSE"], "PROBKSS",
        mags [("B46IR00", "Maidstone"), ("B46DH00", "Medway"), ("B46DB00", "Canterbury"),
              ("B46FO00", "Folkestone"), ("B46IU00", "Margate"), ("B46LN00", "Sevenoaks")],
        crown [("C46MA00", "Maidstone"), ("C46CN00", "Canterbury")]),
    force!("47", "Sussex Police", "SUSPOL", 1710, ["CPSSE"], "PROBKSS",
        mags [("B47CL00", "Brighton"), ("B47EC00", "Crawley"), ("B47OV00", "Worthing"),
              ("B47GL00", "Hastings"), ("B47FB00", "Eastbourne")],
        crown [("C47LW00", "Lewes"), ("C47CC00", "Chichester")]),
    force!("50", "Devon and Cornwall Police", "DCPOL", 1800, ["CPSSW"], "PROBSW",
        mags [("B50KH00", "Plymouth"), ("B50VR00", "Exeter"), ("B50NL00", "Truro"),
              ("B50JO00", "Newton Abbot"), ("B50AW00", "Barnstaple"), ("B50BU00", "Bodmin")],
        crown [("C50EX00", "Exeter"), ("C50PL00", "Plymouth"), ("C50TR00", "Truro")]),
    force!("52", "Avon and Somerset Police", "ASPOL", 1750, ["CPSSW"], "PROBSW",
        mags [("B52CM00", "Bristol"), ("B52MY00", "Taunton"), ("B52OC00", "Weston-super-Mare"),
              ("B52BB00", "Bath"), ("B52OZ00", "Yeovil")],
        crown [("C52BT00", "Bristol"), ("C52TA00", "Taunton")]),
    force!(
        "53",
        "Gloucestershire Constabulary",
        "GLOPOL",
        650,
        ["CPSSW"],
        "PROBSW",
        mags[("B53DJ00", "Cheltenham")],
        crown[("C53GL00", "Gloucester")]
    ),
    force!("54", "Wiltshire Police", "WILPOL", 730, ["CPSWX"], "PROBSW",
        mags [("B54MW00", "Swindon"), ("B54DR00", "Chippenham"), ("B54WV00", "Salisbury")],
        crown [("C54SD00", "Swindon"), ("C54SL00", "Salisbury")]),
    force!("55", "Dorset Police", "DORPOL", 780, ["CPSWX"], "PROBSW",
        mags [("B55IS00", "Bournemouth"), ("B55OE00", "Weymouth")],
        crown [("C55BN00", "Bournemouth"), ("C55WY00", "Dorchester")]),
    force!("60", "North Wales Police", "NWPOL", 690, ["CPSCYM"], "PROBWAL",
        mags [("B60JE00", "Mold"), ("B60OW00", "Wrexham"), ("B60ID00", "Llandudno"), ("B60WU00", "Caernarfon")],
        crown [("C07MO00", "Mold"), ("C07CA00", "Caernarfon")]),
    force!("61", "Gwent Police", "GWEPOL", 600, ["CPSCYM"], "PROBWAL",
        mags [("B61NP00", "Newport"), ("B61EH00", "Cwmbran")], crown [("C62NG00", "Newport (Gwent)")]),
    force!("62", "South Wales Police", "SWPOL", 1330, ["CPSCYM"], "PROBWAL",
        mags [("B62DC00", "Cardiff"), ("B62MV00", "Swansea"), ("B62IZ00", "Merthyr Tydfil"),
              ("B62PM00", "Pontypridd"), ("B62KL00", "Port Talbot")],
        crown [("C62CR00", "Cardiff"), ("C62SS00", "Swansea"), ("C62MT00", "Merthyr Tydfil")]),
    force!("63", "Dyfed-Powys Police", "DPPOL", 520, ["CPSCYM"], "PROBWAL",
        mags [("B63IE00", "Llanelli"), ("B63GN00", "Haverfordwest"), ("B63AD00", "Aberystwyth"),
              ("B63LW00", "Llandrindod Wells"), ("B63NZ00", "Welshpool")],
        crown [("C62CH00", "Carmarthen"), ("C62HV00", "Haverfordwest")]),
];

/// A custody suite or police station of each force, by its OU code in the standing data, where
/// its arrests are booked in.
pub const CUSTODY_UNITS: [(&str, &str); 43] = [
    ("01", "01JP00"), // Leyton Custody Facility
    ("48", "48C400"), // Snow Hill Police Station
    ("03", "03XA00"), // Northern Division
    ("04", "04BM00"), // Cleveleys Police Station
    ("05", "05M100"), // Wirral Custody Suite
    ("06", "06AA00"), // North Manchester Custody Unit
    ("07", "07CE00"), // Eastern Custody
    ("10", "10EE00"), // Newcastle Area Command
    ("11", "11ED00"), // Durham Area
    ("12", "12RH00"), // Helmsley
    ("13", "13A200"), // Stainbeck Custody Suite Overflow
    ("14", "14GX00"), // Shepcote Lane Custody Suite Was West Bar And Attercliffe Formerly 14Dx
    ("16", "16AG00"), // Custody Suite (South Bank)
    ("17", "17M800"), // Middlesbrough District Hq & Custody Suite
    ("20", "20CC00"), // West Midlands Central Custody Perry Barr
    ("21", "21CL00"), // Watling Police Custody
    ("22", "22CC00"), // Malvern Police Station
    ("23", "23N100"), // Bedworth Police Station
    ("30", "30AC00"), // Custody System
    ("31", "31OB00"), // Bridewell Custody Centre
    ("32", "32B500"), // Bourne Custody
    ("33", "33JC00"), // Custody
    ("34", "34NC00"), // Corby Police Station
    ("35", "35KL00"), // Joint Force Custody Block (Cambs/Norfolk)
    ("36", "36BS00"), // Central Custody
    ("37", "37BC00"), // Bury St Edmunds Custody - Pic
    ("40", "40BC00"), // Bedford Mobile Custody Unit
    ("41", "41A100"), // Hertford/Ware Police Station
    ("42", "42CP00"), // Hylands Park Custody Suite
    ("43", "43AA00"), // Aylesbury Police Station
    ("44", "44SX00"), // St Marys Stadium Control Room & Custody Suite
    ("45", "45EZ00"), // Custody Suite Salford
    ("46", "46AH00"), // Gravesend Police Station
    ("47", "47CW00"), // Hove Police Station
    ("50", "50AH00"), // Helston Police Station
    ("52", "52SF00"), // Custody Centre: Yeovil
    ("53", "53GC00"), // Custody
    ("54", "54DD00"), // Swindon Police Station
    ("55", "55WC00"), // Western Custody
    ("60", "60SS00"), // Gwynedd South Division
    ("61", "61AA00"), // Newport Central Police Station
    ("62", "62HY00"), // Swansea Custody
    ("63", "63AA00"), // Ammanford Police Station Custody Unit
];

/// The custody unit of the force with PNC code `force_code`.
pub fn custody_unit(force_code: &str) -> Option<&'static str> {
    CUSTODY_UNITS
        .iter()
        .find(|(force, _)| *force == force_code)
        .map(|(_, unit)| *unit)
}

/// The 14 CPS areas: agency code and name.
pub const CPS_AREAS: [(&str, &str); 14] = [
    ("CPSLDN", "CPS London North"),
    ("CPSLDS", "CPS London South"),
    ("CPSSE", "CPS South East"),
    ("CPSSW", "CPS South West"),
    ("CPSWX", "CPS Wessex"),
    ("CPSTC", "CPS Thames and Chiltern"),
    ("CPSEE", "CPS East of England"),
    ("CPSEM", "CPS East Midlands"),
    ("CPSWM", "CPS West Midlands"),
    ("CPSMER", "CPS Mersey-Cheshire"),
    ("CPSNW", "CPS North West"),
    ("CPSYH", "CPS Yorkshire and Humberside"),
    ("CPSNE", "CPS North East"),
    ("CPSCYM", "CPS Cymru-Wales"),
];

/// The 12 probation regions: agency code and name.
pub const PROBATION_REGIONS: [(&str, &str); 12] = [
    ("PROBLDN", "Probation Service London"),
    ("PROBKSS", "Probation Service Kent, Surrey and Sussex"),
    ("PROBSW", "Probation Service South West"),
    ("PROBSC", "Probation Service South Central"),
    ("PROBEE", "Probation Service East of England"),
    ("PROBEM", "Probation Service East Midlands"),
    ("PROBWM", "Probation Service West Midlands"),
    ("PROBGM", "Probation Service Greater Manchester"),
    ("PROBNW", "Probation Service North West"),
    ("PROBYH", "Probation Service Yorkshire and the Humber"),
    ("PROBNE", "Probation Service North East"),
    ("PROBWAL", "Probation Service Wales"),
];

/// The voluntary services of a probation region: its drug service and its housing service,
/// coded from the region's code (`PROBNW` → `VDRNW`, `VHSNW`).
pub fn voluntary_services(region: &str) -> [(String, String); 2] {
    let short = region.trim_start_matches("PROB");
    [
        (
            format!("VDR{short}"),
            format!("Drug and Alcohol Service ({short})"),
        ),
        (
            format!("VHS{short}"),
            format!("Housing Support Service ({short})"),
        ),
    ]
}

/// A court as an agency: its OU code (also its agency code) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Court {
    pub ou: &'static str,
    pub place: &'static str,
    pub crown: bool,
}

impl Court {
    pub fn name(&self) -> String {
        if self.place.contains("Court") {
            self.place.to_owned()
        } else if self.crown {
            format!("{} Crown Court", self.place)
        } else {
            format!("{} Magistrates' Court", self.place)
        }
    }

    pub fn kind(&self) -> AgencyKind {
        AgencyKind::Court
    }

    /// The judges who sit there, by user name: district judges at a magistrates' court, circuit
    /// judges at a Crown Court. The listing systems name one on every hearing.
    pub fn judges(&self) -> Vec<String> {
        let (title, count) = if self.crown { ("hhj", 4) } else { ("dj", 3) };
        (1..=count)
            .map(|n| format!("{title}{n}.{}", self.ou.to_ascii_lowercase()))
            .collect()
    }
}

/// Every court named in [`FORCES`], once (a Crown Court can serve two forces).
pub fn courts() -> Vec<Court> {
    let mut courts: Vec<Court> = Vec::new();
    for force in &FORCES {
        let all = force
            .magistrates
            .iter()
            .map(|(ou, place)| (ou, place, false))
            .chain(force.crown.iter().map(|(ou, place)| (ou, place, true)));
        for (ou, place, crown) in all {
            if !courts.iter().any(|court| court.ou == *ou) {
                courts.push(Court { ou, place, crown });
            }
        }
    }
    courts
}

/// Each force's share of the nation's cases, in proportion to the people it polices.
pub fn force_weights() -> Vec<u64> {
    FORCES
        .iter()
        .map(|force| u64::from(force.population))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_force_area_and_region_is_known_once() {
        let mut codes: Vec<&str> = FORCES.iter().map(|force| force.force_code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 43);
        for force in &FORCES {
            for area in force.cps {
                assert!(
                    CPS_AREAS.iter().any(|(code, _)| code == area),
                    "{area} is not a CPS area"
                );
            }
            assert!(
                PROBATION_REGIONS
                    .iter()
                    .any(|(code, _)| *code == force.probation),
                "{} is not a probation region",
                force.probation
            );
        }
        for (area, _) in CPS_AREAS {
            assert!(
                FORCES.iter().any(|force| force.cps.contains(&area)),
                "{area} prosecutes for no force"
            );
        }
        for (region, _) in PROBATION_REGIONS {
            assert!(
                FORCES.iter().any(|force| force.probation == region),
                "{region} supervises for no force"
            );
        }
    }

    #[test]
    fn courts_are_magistrates_or_crown_by_their_ou_code() {
        for court in courts() {
            let letter = if court.crown { 'C' } else { 'B' };
            assert!(court.ou.starts_with(letter), "{} is misfiled", court.ou);
            assert!(joinery_domain::OuCode::parse(court.ou).is_ok());
            assert!(joinery_domain::AgencyCode::parse(court.ou).is_ok());
        }
    }
}
