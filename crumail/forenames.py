"""More first names than Faker's en_GB and en_IE lists hold.

Those two lists (about 820 names) miss many names common in the UK today:
"Imogen", "Isla", "Poppy", "Archie", "Theo", "Priya", "Aisha", "Ffion",
"Eilidh".  crumail adds Faker's en_NZ (built from New Zealand's registered
baby names, close to the UK's), en_US and en_IN person providers (all MIT,
as Faker is), and the short list below of Welsh, Scottish, Irish, South
Asian, Arabic and West African forms that none of them holds, written for
crumail.  Words that are also ordinary words are dropped by the stop list
the name check keeps (``STOP_FIRST_NAMES``) and by :data:`NOT_FORENAMES`.
"""

from __future__ import annotations

EXTRA_LOCALES = ("en_NZ", "en_US", "en_IN")

SUPPLEMENT = frozenset(
    """Aled Alun Angharad Bethan Bryn Carys Cerys Cerian Dafydd Delyth Dewi Eleri Elin Emyr Ffion Gethin Gwen
    Gwenllian Gwyneth Huw Iestyn Ieuan Iolo Lowri Mared Meinir Nia Osian Rhodri Rhys Seren Sian Sioned Tegan
    Aileas Ailsa Catriona Eilidh Fiona Fraser Iona Isla Kirsty Lachlan Mhairi Morag Murdo Ross Struan Rory
    Aoibheann Caoimhe Ciara Cian Clodagh Eimear Eoin Fionn Grainne Oisin Padraig Roisin Sadhbh Sinead Tadhg
    Aarav Aditi Amrit Anil Anjali Arjun Deepa Harpreet Jaspreet Kiran Manpreet Navdeep Neha Nikhil Parminder
    Pooja Priya Rajesh Rajinder Ravi Rohan Sanjay Shreya Sunita Vikram Amir Ayesha Aisha Bilal Fatima Hamza
    Hassan Ibrahim Imran Khadija Maryam Mustafa Nadia Omar Rehana Safiya Samir Tariq Usman Yasmin Yusuf Zainab
    Zara Abena Adebayo Ade Ama Amara Chidi Chinedu Efua Emeka Folake Kofi Kwabena Kwame Kwaku Ngozi Nnamdi
    Obinna Olamide Oluwaseun Tendai Tunde Yaw Archie Alfie Albie Arlo Esme Imogen Florence Freddie Harvey
    Isabelle Lottie Maisie Matilda Millie Poppy Reggie Ronnie Sienna Teddy Theo Thea Tilly Willow Elsie""".split()
)

# Names in the wider lists that are ordinary capitalised words in a
# referral unit's mail (places, months, brands, virtues).
NOT_FORENAMES = frozenset(
    """Destiny Trinity Genesis Journey Legend King Kingston Justice Unique Precious Charity Patience Prudence
    Honor Honour Miracle Heaven Liberty Victory London Brooklyn Dakota Phoenix Cedar Sage Ocean Rain Star Winter
    Blue Lake Bishop Houston Aspen Mercedes Bentley Harley Jaguar Reign Royalty Memory Marvel Saint Tennessee
    Cleveland Denver Orlando Raleigh Chester Preston Lancaster Carlisle Stafford Windsor Warwick Clifton
    Sterling Summer Spring Sunday Tuesday Princess Prince Duke Earl Baron Knight Marshal Marshall Judge Deacon
    Pastor Colonel General Admiral Sergeant Officer Police Rocky Rusty Dusty Sandy Misty Candy Brandy Cherry
    Apple Berry Coral Diamond Ember Golden Goldie Silver Gray Grey Green Brown White Black Young Little Long""".split()
)


def extra_first_names() -> set[str]:
    """The first names of Faker's :data:`EXTRA_LOCALES` providers (none when Faker is missing)."""
    import importlib

    found: set[str] = set()
    for locale in EXTRA_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        found.update(n for n in provider.first_names if n.isalpha() and n[:1].isupper())
    return found

